package dev.gpudev.scheduler.model;

import java.util.regex.Pattern;

/** A short, readable reservation id such as {@code h100-7f3a}: the GPU type and a random hex suffix. */
public record ReservationId(String value) implements Comparable<ReservationId> {
    private static final Pattern FORMAT = Pattern.compile("[a-z0-9]{1,16}-[0-9a-f]{4,12}");

    public ReservationId {
        if (!FORMAT.matcher(value).matches()) {
            throw new IllegalArgumentException("not a reservation id: '" + value + "' (expected e.g. h100-7f3a)");
        }
    }

    public static ReservationId of(String gpuType, long random) {
        return new ReservationId(gpuType + "-" + String.format("%04x", random & 0xffff));
    }

    @Override
    public int compareTo(ReservationId o) {
        return value.compareTo(o.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
