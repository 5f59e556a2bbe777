package dev.gpudev.scheduler.idle;

/**
 * The idle policy for one reservation as a pure state machine: {@code (rule, exempt, state, input) -> (state, action)}.
 * <ol>
 *   <li>Off for the type, or exempt: nothing is asked; an open question is withdrawn.</li>
 *   <li>Watching: known idle for the whole idle-for window: ask.</li>
 *   <li>Asked: busy again (known): withdraw. Unknown: wait, neither reclaim nor withdraw. Still idle, unanswered for
 *       the grace period, and someone waits for the type: reclaim. Nobody waits: the question stays.</li>
 *   <li>Keep: snooze; after the snooze, back to watching (a new question needs a new full idle window).</li>
 *   <li>Release: the owner releases it.</li>
 * </ol>
 */
public final class IdleWatch {
    private IdleWatch() {
    }

    public record Step(IdleState state, IdleAction action) {
    }

    public static Step step(IdleRule rule, boolean exempt, IdleState state, IdleInput input) {
        if (state instanceof IdleState.Done) {
            return new Step(state, IdleAction.NONE);
        }
        return switch (input) {
            case IdleInput.Release r -> new Step(new IdleState.Done(), new IdleAction.ReleaseByOwner());
            case IdleInput.Keep k -> {
                var until = k.now().plus(rule.snooze());
                yield new Step(new IdleState.Snoozed(until), new IdleAction.Snooze(until));
            }
            case IdleInput.Tick t -> tick(rule, exempt, state, t);
        };
    }

    private static Step tick(IdleRule rule, boolean exempt, IdleState state, IdleInput.Tick t) {
        if (!rule.enabled() || exempt) {
            return state instanceof IdleState.Asked
                    ? new Step(IdleState.WATCHING, new IdleAction.Withdraw(exempt ? "exempt from the idle policy" : "the idle policy is off for this type"))
                    : new Step(state instanceof IdleState.Snoozed ? state : IdleState.WATCHING, IdleAction.NONE);
        }
        boolean idle = Activity.idleFor(t.activity(), rule.idleFor());
        return switch (state) {
            case IdleState.Snoozed s when t.now().isBefore(s.until()) -> new Step(s, IdleAction.NONE);
            case IdleState.Snoozed s -> idle ? ask(t) : new Step(IdleState.WATCHING, IdleAction.NONE);
            case IdleState.Watching w -> idle ? ask(t) : new Step(w, IdleAction.NONE);
            case IdleState.Asked a when t.activity() instanceof Activity.Known k && !k.idle() ->
                    new Step(IdleState.WATCHING, new IdleAction.Withdraw("the GPUs are busy again"));
            case IdleState.Asked a when idle && t.othersWaiting() && !t.now().isBefore(a.at().plus(rule.grace())) ->
                    new Step(new IdleState.Done(), new IdleAction.Reclaim(a.at(), (Activity.Known) t.activity()));
            case IdleState.Asked a -> new Step(a, IdleAction.NONE);
            case IdleState.Done d -> new Step(d, IdleAction.NONE);
        };
    }

    private static Step ask(IdleInput.Tick t) {
        return new Step(new IdleState.Asked(t.now()), new IdleAction.Ask((Activity.Known) t.activity()));
    }
}
