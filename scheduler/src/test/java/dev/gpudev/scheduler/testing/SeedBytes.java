package dev.gpudev.scheduler.testing;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds a seed file for a Jazzer {@code @FuzzTest} that reads its input with {@code FuzzedDataProvider.consumeInt(min, max)}:
 * the provider takes integers from the end of the input, most significant byte first, one byte per 8 bits of the range,
 * and returns {@code min + value % (max - min + 1)}. So a seed for a known scenario can be written as code.
 */
public final class SeedBytes {
    private final List<Integer> consumed = new ArrayList<>();

    public SeedBytes intInRange(int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(value + " is outside [" + min + ", " + max + "]");
        }
        long range = (long) max - min;
        long v = (long) value - min;
        int bits = 0;
        while (bits < 32 && (range >> bits) > 0) {
            bits += 8;
        }
        for (int shift = bits - 8; shift >= 0; shift -= 8) {
            consumed.add((int) (v >> shift) & 0xff);
        }
        return this;
    }

    public byte[] bytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = consumed.size() - 1; i >= 0; i--) {
            out.write(consumed.get(i));
        }
        return out.toByteArray();
    }
}
