package dev.gpudev.scheduler.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.junit.jupiter.params.provider.ValueSource;

class StartTimesTest {
    /** Saturday 5 Dec 2026, 08:30 in Berlin (07:30 UTC). */
    private static final ZonedDateTime NOW = ZonedDateTime.of(2026, 12, 5, 8, 30, 0, 0, ZoneId.of("Europe/Berlin"));

    record Case(String text, String utc) {
    }

    static final List<Case> READ = List.of(
            new Case("2026-12-10T10:00", "2026-12-10T09:00:00Z"),
            new Case("2026-12-10 10:00", "2026-12-10T09:00:00Z"),
            new Case("2026-12-10T10:00Z", "2026-12-10T10:00:00Z"),
            new Case("14:30", "2026-12-05T13:30:00Z"),
            new Case("8:00", "2026-12-06T07:00:00Z"),
            new Case("9am", "2026-12-05T08:00:00Z"),
            new Case("12pm", "2026-12-05T11:00:00Z"),
            new Case("12am", "2026-12-05T23:00:00Z"),
            new Case("tomorrow 9am", "2026-12-06T08:00:00Z"),
            new Case("Today 17:15", "2026-12-05T16:15:00Z"),
            new Case("thu 10:00", "2026-12-10T09:00:00Z"),
            new Case("thursday 10:00", "2026-12-10T09:00:00Z"),
            new Case("sat 08:00", "2026-12-12T07:00:00Z"),
            new Case("sat 09:00", "2026-12-05T08:00:00Z"),
            new Case("in 10m", "2026-12-05T07:40:00Z"),
            new Case("in 1h30m", "2026-12-05T09:00:00Z"));

    @ParameterizedTest
    @FieldSource("READ")
    void readsTheStartInTheUsersZone(Case c) {
        assertThat(StartTimes.parse(c.text(), NOW).start()).as(c.text()).contains(Instant.parse(c.utc()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "soon", "25:00", "13pm", "10", "thu", "2026-13-01T10:00", "in forever", "th 10:00"})
    void whatCannotBeReadIsAnsweredWithExamplesAndTheZone(String text) {
        StartTimes.Parsed p = StartTimes.parse(text, NOW);
        assertThat(p.start()).as(text).isEmpty();
        assertThat(p.problem()).contains("--at \"tomorrow 9am\"").contains("Europe/Berlin");
    }
}
