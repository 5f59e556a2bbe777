package dev.gpudev.scheduler.model;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The name a user gave one of their disks: 1-32 lower-case letters, digits and inner hyphens (it becomes part of
 * Kubernetes names and label values). {@link #HOME} is the persistent home every user has.
 */
public record DiskName(String value) {
    private static final Pattern FORMAT = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?");
    public static final DiskName HOME = new DiskName("home");

    public DiskName {
        if (!FORMAT.matcher(value).matches()) {
            throw new IllegalArgumentException("'" + value + "' is not a disk name: use 1-32 lower-case letters, digits"
                    + " and inner hyphens, e.g. data or llama-ckpt");
        }
    }

    /** Accepts any case ({@code Data} is {@code data}); refuses what {@link #DiskName(String)} refuses. */
    public static DiskName parse(String text) {
        return new DiskName(text.strip().toLowerCase(Locale.ROOT));
    }

    public boolean isHome() {
        return equals(HOME);
    }

    @Override
    public String toString() {
        return value;
    }
}
