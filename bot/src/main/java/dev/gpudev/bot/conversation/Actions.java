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
    /** Open the reserve form. */
    public static final String OPEN_RESERVE = "open_reserve";

    private Actions() {
    }
}
