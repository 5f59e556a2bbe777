package dev.gpudev.bot.conversation;

/** The action ids of {@link Button}s; a platform routes a press by them. */
public final class Actions {
    /** Cancel (queued) or release (running) the reservation in the value, after the button's confirm. */
    public static final String CANCEL = "cancel";
    /** The same, pressed in the "Are you sure? / Which one?" answer of {@code /gpu cancel}. */
    public static final String CANCEL_CONFIRMED = "cancel_confirmed";
    /** Extend by an hour or four; the value is {@code id|extendedMinutes} as drawn, so a stale button extends nothing. */
    public static final String EXTEND_1H = "extend_1h";
    public static final String EXTEND_4H = "extend_4h";
    /** "I'm using it" on a started booking, so it is not released as unused; the value is its id. */
    public static final String BOOKING_USED = "booking_used";
    /** On the idle question: keep it (snooze the question) or release it; the value is the reservation id. */
    public static final String IDLE_KEEP = "idle_keep";
    public static final String IDLE_RELEASE = "idle_release";
    /** Another page of {@code /gpu list}; the value is {@code page|STATE,STATE|user}. */
    public static final String LIST_PAGE = "list_page";
    /**
     * Cancel every live reservation of the presser requested up to the instant in the value (epoch seconds: the newest
     * one listed), after the button's confirm; one requested later is kept.
     */
    public static final String CANCEL_ALL = "cancel_all";
    /** The extend picker's choice; the value is {@code id|extendedMinutes|byMinutes}. */
    public static final String EXTEND_PICK = "extend_pick";
    /** Delete a disk, pressed under "Delete disk NAME?"; the value is {@code owner-login|name}. */
    public static final String DISK_DELETE = "disk_delete";
    /** Open the reserve form. */
    public static final String OPEN_RESERVE = "open_reserve";

    private Actions() {
    }
}
