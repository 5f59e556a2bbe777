package dev.gpudev.scheduler.idle;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.FieldSource;

class IdleWatchTest {
    static final IdleRule RULE = IdleRule.defaults();
    static final Instant T0 = Instant.parse("2026-12-05T10:00:00Z");
    static final Activity IDLE = new Activity.Known(Duration.ofMinutes(30), 4, 0, 0.4, 512);
    static final Activity IDLE_SHORT = new Activity.Known(Duration.ofMinutes(29), 4, 0, 0.4, 512);
    static final Activity BUSY = new Activity.Known(Duration.ofMinutes(30), 4, 0.2, 30, 60_000);
    static final Activity UNKNOWN = new Activity.Unknown("Prometheus answered 503");
    static final IdleState ASKED = new IdleState.Asked(T0);

    static Instant at(int minutes) {
        return T0.plus(Duration.ofMinutes(minutes));
    }

    record Case(IdleRule rule, boolean exempt, IdleState state, IdleInput input, IdleState next, Class<? extends IdleAction> action) {
    }

    static Arguments named(String name, Case c) {
        return Arguments.of(Named.of(name, c));
    }

    static final List<Arguments> CASES = List.of(
            named("idle for the whole window: ask", new Case(RULE, false, IdleState.WATCHING, new IdleInput.Tick(at(0), IDLE, false),
                    new IdleState.Asked(at(0)), IdleAction.Ask.class)),
            named("idle for less than idle-for: no question", new Case(RULE, false, IdleState.WATCHING, new IdleInput.Tick(at(0), IDLE_SHORT, true),
                    IdleState.WATCHING, IdleAction.None.class)),
            named("busy: nothing", new Case(RULE, false, IdleState.WATCHING, new IdleInput.Tick(at(0), BUSY, true),
                    IdleState.WATCHING, IdleAction.None.class)),
            named("unknown is never idle", new Case(RULE, false, IdleState.WATCHING, new IdleInput.Tick(at(0), UNKNOWN, true),
                    IdleState.WATCHING, IdleAction.None.class)),
            named("asked, unanswered past the grace, someone waits: reclaim", new Case(RULE, false, ASKED, new IdleInput.Tick(at(20), IDLE, true),
                    new IdleState.Done(), IdleAction.Reclaim.class)),
            named("asked, inside the grace: wait", new Case(RULE, false, ASKED, new IdleInput.Tick(at(19), IDLE, true),
                    ASKED, IdleAction.None.class)),
            named("asked, past the grace, nobody waits: the question stays", new Case(RULE, false, ASKED, new IdleInput.Tick(at(90), IDLE, false),
                    ASKED, IdleAction.None.class)),
            named("asked, telemetry lost: neither reclaim nor withdraw", new Case(RULE, false, ASKED, new IdleInput.Tick(at(90), UNKNOWN, true),
                    ASKED, IdleAction.None.class)),
            named("asked, busy again: withdraw", new Case(RULE, false, ASKED, new IdleInput.Tick(at(5), BUSY, true),
                    IdleState.WATCHING, IdleAction.Withdraw.class)),
            named("asked, then exempted: withdraw, never reclaim", new Case(RULE, true, ASKED, new IdleInput.Tick(at(90), IDLE, true),
                    IdleState.WATCHING, IdleAction.Withdraw.class)),
            named("exempt: never asked", new Case(RULE, true, IdleState.WATCHING, new IdleInput.Tick(at(0), IDLE, true),
                    IdleState.WATCHING, IdleAction.None.class)),
            named("type off: never asked", new Case(RULE.off(), false, IdleState.WATCHING, new IdleInput.Tick(at(0), IDLE, true),
                    IdleState.WATCHING, IdleAction.None.class)),
            named("keep: snooze", new Case(RULE, false, ASKED, new IdleInput.Keep(at(3)),
                    new IdleState.Snoozed(at(3).plus(RULE.snooze())), IdleAction.Snooze.class)),
            named("snoozed: no question while idle", new Case(RULE, false, new IdleState.Snoozed(at(120)), new IdleInput.Tick(at(119), IDLE, true),
                    new IdleState.Snoozed(at(120)), IdleAction.None.class)),
            named("snooze over, still idle: ask again", new Case(RULE, false, new IdleState.Snoozed(at(120)), new IdleInput.Tick(at(120), IDLE, true),
                    new IdleState.Asked(at(120)), IdleAction.Ask.class)),
            named("snooze over, busy: watch", new Case(RULE, false, new IdleState.Snoozed(at(120)), new IdleInput.Tick(at(121), BUSY, true),
                    IdleState.WATCHING, IdleAction.None.class)),
            named("release: the owner releases", new Case(RULE, false, ASKED, new IdleInput.Release(at(1)),
                    new IdleState.Done(), IdleAction.ReleaseByOwner.class)),
            named("done: nothing more", new Case(RULE, false, new IdleState.Done(), new IdleInput.Tick(at(1), IDLE, true),
                    new IdleState.Done(), IdleAction.None.class)));

    @ParameterizedTest
    @FieldSource("CASES")
    void step(Case c) {
        IdleWatch.Step step = IdleWatch.step(c.rule(), c.exempt(), c.state(), c.input());

        assertThat(step.state()).isEqualTo(c.next());
        assertThat(step.action()).isInstanceOf(c.action());
    }
}
