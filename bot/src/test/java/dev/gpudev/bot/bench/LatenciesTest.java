package dev.gpudev.bot.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.FieldSource;

class LatenciesTest {
    private static final long MS = 1_000_000;

    /** 1, 2, ... n milliseconds, in a shuffled send order */
    private static long[] ms(int n) {
        return LongStream.rangeClosed(1, n).map(i -> (i * 7919 % n + 1) * MS).toArray();
    }

    static final List<Arguments> PERCENTILES = List.of(
            Arguments.of(Named.of("median of 1..100 ms", ms(100)), 50.0, 50.0),
            Arguments.of(Named.of("p99 of 1..100 ms", ms(100)), 99.0, 99.0),
            Arguments.of(Named.of("p99 of 1..1000 ms is the 990th", ms(1000)), 99.0, 990.0),
            Arguments.of(Named.of("p100 is the max", ms(1000)), 100.0, 1000.0),
            Arguments.of(Named.of("one sample is every percentile", new long[] {7 * MS}), 1.0, 7.0),
            Arguments.of(Named.of("errors count in no percentile", new long[] {Latencies.ERROR, 3 * MS, Latencies.ERROR, 1 * MS}), 99.0, 3.0));

    @ParameterizedTest
    @FieldSource("PERCENTILES")
    void percentilesAreNearestRankOverTheAnsweredRequests(long[] nanos, double p, double expectedMs) {
        assertThat(new Latencies("t", nanos, 0, 0).percentileMs(p)).isEqualTo(expectedMs);
    }

    @ParameterizedTest
    @FieldSource("PERCENTILES")
    void requestsCountErrorsAndAnswersAlike(long[] nanos, double p, double expectedMs) {
        Latencies l = new Latencies("t", nanos, 0, 0);
        assertThat(l.requests()).isEqualTo(nanos.length);
        assertThat(l.errors()).isEqualTo((int) LongStream.of(nanos).filter(n -> n == Latencies.ERROR).count());
    }

    @Test
    void aRangeShowsOnlyItsOwnRequestsAndNothingAnsweredIsNaN() {
        long[] slowEnd = LongStream.range(0, 300).map(i -> i < 200 ? MS : 100 * MS).toArray();
        Latencies l = new Latencies("t", slowEnd, 0, 0);
        assertThat(l.percentileMs(99, 0, 100)).isEqualTo(1.0);
        assertThat(l.percentileMs(99, 200, 300)).isEqualTo(100.0);
        assertThat(new Latencies("t", new long[] {Latencies.ERROR}, 0, 0).percentileMs(50)).isNaN();
    }
}
