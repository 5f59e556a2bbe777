package dev.gpudev.scheduler.idle;

import java.time.Duration;

/** A reservation's GPU activity over a window, or why it is not known. */
public sealed interface Activity {
    /**
     * @param span          the window the samples cover, every GPU of the reservation from its start to its end
     * @param gpus          GPUs seen
     * @param busyFraction  share of GPU samples at or above the threshold, 0..1
     * @param meanUtil      mean utilization over all GPU samples, percent
     * @param peakMemoryMib the most framebuffer one GPU held (NaN when the memory series was missing)
     */
    record Known(Duration span, int gpus, double busyFraction, double meanUtil, double peakMemoryMib) implements Activity {
        public boolean idle() {
            return busyFraction == 0;
        }
    }

    record Unknown(String why) implements Activity {
    }

    /** Idle for at least {@code long}: known, every sample below the threshold, over a span that long. */
    static boolean idleFor(Activity a, Duration span) {
        return a instanceof Known k && k.idle() && k.span().compareTo(span) >= 0;
    }
}
