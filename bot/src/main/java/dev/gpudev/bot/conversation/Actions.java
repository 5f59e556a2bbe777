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
    /** Delete a disk, pressed under "Delete disk NAME?"; the value is {@code owner-login|name}. */
    public static final String DISK_DELETE = "disk_delete";
    /** Open the reserve form. */
    public static final String OPEN_RESERVE = "open_reserve";

    private Actions() {
    }
}
