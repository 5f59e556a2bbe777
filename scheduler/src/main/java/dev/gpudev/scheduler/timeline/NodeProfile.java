package dev.gpudev.scheduler.timeline;

import java.util.Arrays;

import org.jspecify.annotations.Nullable;

import dev.gpudev.scheduler.model.NodeName;

/**
 * Free GPUs of one node over time, as a step function of seconds from now: {@code free[i]} holds on
 * {@code [at[i], at[i+1])}, and the last step lasts for ever. Mutable; lives for one planning pass.
 */
final class NodeProfile {
    final NodeName name;
    final @Nullable String group;
    private long[] at = new long[8];
    private int[] free = new int[8];
    private int size;

    NodeProfile(NodeName name, @Nullable String group, int freeNow) {
        this.name = name;
        this.group = group;
        at[0] = 0;
        free[0] = freeNow;
        size = 1;
    }

    /** GPUs coming back at {@code second}, never above {@code ceiling} (a drained node gets nothing back). */
    void release(long second, int gpus, int ceiling) {
        int i = split(Math.max(1, second));
        for (int j = i; j < size; j++) {
            free[j] = Math.min(ceiling, free[j] + gpus);
        }
    }

    /** The first second from which {@code gpus} stay free for {@code length} seconds, or -1 if never. */
    long earliest(int gpus, long length) {
        int i = 0;
        while (i < size) {
            if (free[i] < gpus) {
                i++;
                continue;
            }
            long start = at[i];
            int j = i + 1;
            while (j < size && at[j] < start + length && free[j] >= gpus) {
                j++;
            }
            if (j >= size || at[j] >= start + length) {
                return start;
            }
            i = j;
        }
        return -1;
    }

    boolean fits(int gpus, long start, long length) {
        int i = indexAt(start);
        for (int j = i; j < size && at[j] < start + length; j++) {
            if (free[j] < gpus) {
                return false;
            }
        }
        return true;
    }

    /** The first second after {@code from} at which fewer than {@code gpus} are free, or -1 if never. */
    long freeUntil(int gpus, long from) {
        for (int j = indexAt(from) + 1; j < size; j++) {
            if (free[j] < gpus) {
                return at[j];
            }
        }
        return -1;
    }

    int freeAt(long second) {
        return free[indexAt(second)];
    }

    void take(int gpus, long start, long length) {
        int from = split(start);
        int to = split(start + length);
        for (int j = from; j < to; j++) {
            free[j] -= gpus;
        }
    }

    /** Start seconds of the steps, for gang search. */
    long[] steps() {
        return Arrays.copyOf(at, size);
    }

    /**
     * Start seconds of the steps from which at least {@code gpus} are free. A set of nodes that fits from some second
     * fits from the latest of these steps before it on its nodes, so the earliest start of a gang is among them.
     */
    long[] stepsWith(int gpus) {
        long[] out = new long[size];
        int n = 0;
        for (int i = 0; i < size; i++) {
            if (free[i] >= gpus) {
                out[n++] = at[i];
            }
        }
        return Arrays.copyOf(out, n);
    }

    private int indexAt(long second) {
        int i = Arrays.binarySearch(at, 0, size, second);
        return i >= 0 ? i : -i - 2;
    }

    /** Makes {@code second} a step boundary and returns its index. */
    private int split(long second) {
        int i = Arrays.binarySearch(at, 0, size, second);
        if (i >= 0) {
            return i;
        }
        int ins = -i - 1;
        if (size == at.length) {
            at = Arrays.copyOf(at, size * 2);
            free = Arrays.copyOf(free, size * 2);
        }
        System.arraycopy(at, ins, at, ins + 1, size - ins);
        System.arraycopy(free, ins, free, ins + 1, size - ins);
        at[ins] = second;
        free[ins] = free[ins - 1];
        size++;
        return ins;
    }
}
