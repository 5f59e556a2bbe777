package dev.gpudev.scheduler.idle;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.gpudev.scheduler.port.GpuSample;

class ActivityWindowTest {
    static final IdleRule RULE = IdleRule.defaults();
    static final Instant FROM = Instant.parse("2026-12-05T10:00:00Z");
    static final Instant TO = FROM.plus(Duration.ofMinutes(30));

    /** One sample per GPU per minute over the window, all at {@code util}. */
    static List<GpuSample> everyMinute(int gpus, double util) {
        List<GpuSample> samples = new ArrayList<>();
        for (int m = 0; m <= 30; m++) {
            for (int g = 0; g < gpus; g++) {
                samples.add(new GpuSample("GPU-" + g, FROM.plus(Duration.ofMinutes(m)), util, 1024));
            }
        }
        return samples;
    }

    @Test
    void allGpusBelowTheThresholdThroughTheWindowIsIdle() {
        Activity a = ActivityWindow.of(everyMinute(4, 0), 4, FROM, FROM, TO, RULE);

        assertThat(a).isInstanceOfSatisfying(Activity.Known.class, k -> {
            assertThat(k.idle()).isTrue();
            assertThat(k.gpus()).isEqualTo(4);
            assertThat(k.span()).isEqualTo(Duration.ofMinutes(30));
            assertThat(k.peakMemoryMib()).isEqualTo(1024);
        });
    }

    @Test
    void oneSampleAtTheThresholdOnOneGpuMakesTheWindowBusy() {
        List<GpuSample> samples = new ArrayList<>(everyMinute(4, 1));
        samples.add(new GpuSample("GPU-3", FROM.plus(Duration.ofSeconds(90)), 5, 1024));

        Activity a = ActivityWindow.of(samples, 4, FROM, FROM, TO, RULE);

        assertThat(a).isInstanceOfSatisfying(Activity.Known.class, k -> {
            assertThat(k.idle()).isFalse();
            assertThat(k.busyFraction()).isGreaterThan(0);
        });
    }

    @Test
    void busyFractionIsTheShareOfGpuSamplesAtOrAboveTheThreshold() {
        List<GpuSample> samples = new ArrayList<>(everyMinute(1, 0));
        samples.addAll(everyMinute(1, 90).stream().map(s -> new GpuSample("GPU-1", s.at(), 90, 70_000)).toList());

        Activity.Known k = (Activity.Known) ActivityWindow.of(samples, 2, FROM, FROM, TO, RULE);

        assertThat(k.busyFraction()).isEqualTo(0.5);
        assertThat(k.meanUtil()).isEqualTo(45);
        assertThat(k.peakMemoryMib()).isEqualTo(70_000);
    }

    @Test
    void aMissingGpuIsUnknownNotIdle() {
        assertThat(ActivityWindow.of(everyMinute(3, 0), 4, FROM, FROM, TO, RULE))
                .isInstanceOfSatisfying(Activity.Unknown.class, u -> assertThat(u.why()).contains("3 of its 4 GPUs"));
    }

    @Test
    void aHoleLongerThanTheAllowedGapIsUnknownNotIdle() {
        List<GpuSample> holed = everyMinute(2, 0).stream()
                .filter(s -> !(s.gpu().equals("GPU-1") && s.at().isAfter(FROM.plus(Duration.ofMinutes(10)))
                        && s.at().isBefore(FROM.plus(Duration.ofMinutes(17))))).toList();

        assertThat(ActivityWindow.of(holed, 2, FROM, FROM, TO, RULE)).isInstanceOf(Activity.Unknown.class);
    }

    @Test
    void samplesThatStopBeforeTheEndOrStartLateAreUnknown() {
        List<GpuSample> stale = everyMinute(1, 0).stream().filter(s -> s.at().isBefore(FROM.plus(Duration.ofMinutes(20)))).toList();
        List<GpuSample> late = everyMinute(1, 0).stream().filter(s -> s.at().isAfter(FROM.plus(Duration.ofMinutes(10)))).toList();

        assertThat(ActivityWindow.of(stale, 1, FROM, FROM, TO, RULE)).isInstanceOf(Activity.Unknown.class);
        assertThat(ActivityWindow.of(late, 1, FROM, FROM, TO, RULE)).isInstanceOf(Activity.Unknown.class);
        assertThat(ActivityWindow.of(List.of(), 1, FROM, FROM, TO, RULE)).isInstanceOf(Activity.Unknown.class);
    }

    @Test
    void samplesOutsideTheWindowDoNotCount() {
        List<GpuSample> samples = new ArrayList<>(everyMinute(1, 0));
        samples.add(new GpuSample("GPU-0", FROM.minusSeconds(1), 100, 0));
        samples.add(new GpuSample("GPU-0", TO.plusSeconds(1), 100, 0));

        assertThat(((Activity.Known) ActivityWindow.of(samples, 1, FROM, FROM, TO, RULE)).idle()).isTrue();
    }

    @Test
    void aReservationHeldForLessThanTheWindowIsUnknownEvenWithoutAHole() {
        List<GpuSample> sinceMinuteOne = everyMinute(1, 0).stream().filter(s -> !s.at().isBefore(FROM.plusSeconds(60))).toList();

        assertThat(ActivityWindow.of(sinceMinuteOne, 1, FROM.plusSeconds(60), FROM, TO, RULE))
                .isInstanceOfSatisfying(Activity.Unknown.class, u -> assertThat(u.why()).contains("held only since"));
    }
}
