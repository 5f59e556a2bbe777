package dev.gpudev.bot.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.gpudev.bot.conversation.Message;
import dev.gpudev.scheduler.model.EndReason;
import dev.gpudev.scheduler.model.NodeName;
import dev.gpudev.scheduler.model.ServerAccess;
import dev.gpudev.scheduler.port.GpuTelemetry;
import dev.gpudev.scheduler.port.InMemoryReservationStore;
import dev.gpudev.scheduler.testing.Fixtures;
import dev.gpudev.scheduler.testing.MutableClock;
import dev.gpudev.scheduler.usage.UsageReports;

/** Once per week at its slot, through restarts and leader changes (the store's claim); late by a day or more: skipped. */
class WeeklyUsageTest {
    /** Fixtures.T0 is Monday 2026-11-02 09:00 UTC. */
    private static final Instant MONDAY_9 = Fixtures.T0;
    private final InMemoryReservationStore store = new InMemoryReservationStore();
    private final MutableClock clock = new MutableClock(MONDAY_9.minus(Duration.ofMinutes(1)));
    private final List<Message> posted = new ArrayList<>();

    @BeforeEach
    void aReservationLastWeek() {
        used("h100-0001", MONDAY_9.minus(Duration.ofDays(2)));
    }

    /** 4 GPUs for 2 h from {@code at}. */
    private void used(String id, Instant at) {
        store.create(Fixtures.queued(id, Fixtures.ANA, 4, Duration.ofHours(2), at).provisioning(List.of(new NodeName("n1")), at)
                .active(new ServerAccess("n1", 22, "dev", null), at).ended(EndReason.EXPIRED, "expired", at.plus(Duration.ofHours(2))));
    }

    private WeeklyUsage weekly(Optional<DayOfWeek> day) {
        UsageReports reports = new UsageReports(store, List::of, clock, GpuTelemetry.OFF, Map.of());
        return new WeeklyUsage(reports, store::claimOnce, clock, new WeeklyUsage.Settings(day, 9, Duration.ofMinutes(5)), posted::add);
    }

    @Test
    void postsOnceAtTheSlotAndNotAgainAfterARestartThenAgainNextWeek() {
        WeeklyUsage first = weekly(Optional.of(DayOfWeek.MONDAY));
        first.check();
        assertThat(posted).isEmpty();

        clock.advance(Duration.ofMinutes(1));
        first.check();
        first.check();
        weekly(Optional.of(DayOfWeek.MONDAY)).check();
        assertThat(posted).singleElement().satisfies(m -> assertThat(m.text()).contains("8h").contains("h100"));
        assertThat(posted.getFirst().attachment()).isNotNull();

        // a week without GPU time: nothing; one with: its summary
        clock.advance(Duration.ofDays(7));
        first.check();
        assertThat(posted).hasSize(1);
        used("h100-0002", clock.instant().plus(Duration.ofDays(3)));
        clock.advance(Duration.ofDays(7));
        first.check();
        assertThat(posted).hasSize(2);
    }

    @Test
    void aLeaderThatComesUpADayLateSkipsTheWeek() {
        clock.advance(Duration.ofDays(1).plusMinutes(1));
        weekly(Optional.of(DayOfWeek.MONDAY)).check();
        assertThat(posted).isEmpty();

        clock.set(MONDAY_9.plus(Duration.ofHours(23)));
        weekly(Optional.of(DayOfWeek.MONDAY)).check();
        assertThat(posted).hasSize(1);
    }

    @Test
    void offPostsNothing() {
        clock.advance(Duration.ofMinutes(1));
        weekly(Optional.empty()).check();
        assertThat(posted).isEmpty();
    }
}
