package dev.gpudev.bot.observe;

import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.Metrics;

import dev.gpudev.scheduler.model.EndReason;
import dev.gpudev.scheduler.model.Notice;
import dev.gpudev.scheduler.port.Notifier;

/**
 * Counts bookings released unused ({@code gpudev_bookings_unused_total}) and bookings that started
 * ({@code gpudev_bookings_started_total}), from the notices the engine emits once per decision, on the leader.
 */
public final class BookingMetrics {
    public static final String UNUSED = "gpudev_bookings_unused_total";
    public static final String STARTED = "gpudev_bookings_started_total";

    private BookingMetrics() {
    }

    /** {@code next}, counting on the way. */
    public static Notifier counting(Notifier next) {
        Counter unused = Metrics.globalRegistry().getOrCreate(Counter.builder(UNUSED).description("Bookings released because nobody used them"));
        Counter started = Metrics.globalRegistry().getOrCreate(Counter.builder(STARTED).description("Bookings whose servers were started"));
        return notice -> {
            if (notice instanceof Notice.Ended e && e.reservation().endReason() == EndReason.UNUSED) {
                unused.increment();
            } else if (notice instanceof Notice.Starting s && s.reservation().booking() != null && "starting".equals(s.reservation().detail())) {
                started.increment();
            }
            next.notify(notice);
        };
    }
}
