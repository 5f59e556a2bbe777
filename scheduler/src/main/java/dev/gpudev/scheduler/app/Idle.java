package dev.gpudev.scheduler.app;

import java.util.Set;

import org.jspecify.annotations.Nullable;

import dev.gpudev.scheduler.idle.IdlePolicy;
import dev.gpudev.scheduler.port.StoreUnavailableException;
import dev.gpudev.scheduler.service.IdleChecks;
import dev.gpudev.scheduler.service.ReservationService;

/**
 * The idle policy's use cases: Keep and Release on the question (the owner's or an admin's, {@link Actor#mayActOn}),
 * and the admins' exemptions. {@link #NONE} when the bot runs without the policy: it knows no rule and changes nothing.
 */
public interface Idle {
    Idle NONE = new Idle() {
        @Override
        public IdlePolicy policy() {
            return IdlePolicy.OFF;
        }

        @Override
        public ActionOutcome keep(Actor actor, String id, @Nullable String key) {
            return new ActionOutcome.Refused("The idle policy is off on this bot; there is nothing to keep.");
        }

        @Override
        public ActionOutcome release(Actor actor, String id, @Nullable String key) {
            return new ActionOutcome.Refused("The idle policy is off on this bot; release it with `/gpu cancel " + id + "`.");
        }

        @Override
        public boolean exempt(Actor actor, String entry, boolean on) {
            throw new IllegalArgumentException("The idle policy is off on this bot, so there is nobody to exempt.");
        }

        @Override
        public Set<String> exempted() {
            return Set.of();
        }
    };

    IdlePolicy policy();

    /** Keep on the question: no question until the snooze ends. A double click keeps once. */
    ActionOutcome keep(Actor actor, String id, @Nullable String key);

    /** Release on the question: as {@code /gpu cancel}. */
    ActionOutcome release(Actor actor, String id, @Nullable String key);

    /**
     * Adds or ends an exemption ({@code user:U123}, {@code team:NAME}, {@code reservation:ID}); admins only.
     *
     * @return whether it changed anything
     * @throws IllegalArgumentException     for a non-admin, with why
     * @throws StoreUnavailableException    when the store did not take it: nothing changed
     */
    boolean exempt(Actor actor, String entry, boolean on);

    /** The exemptions admins made (the configured ones are in {@link #policy()}). */
    Set<String> exempted();

    static Idle of(ReservationService service, IdleChecks checks) {
        return new Idle() {
            @Override
            public IdlePolicy policy() {
                return checks.policy();
            }

            @Override
            public ActionOutcome keep(Actor actor, String id, @Nullable String key) {
                return service.keep(actor.user(), id, actor.admin(), key, r -> checks.policy().rule(r.gpuType()));
            }

            @Override
            public ActionOutcome release(Actor actor, String id, @Nullable String key) {
                return service.cancel(actor.user(), id, actor.admin(), key);
            }

            @Override
            public boolean exempt(Actor actor, String entry, boolean on) {
                if (!actor.admin()) {
                    throw new IllegalArgumentException("Only admins may exempt from the idle policy.");
                }
                return checks.exempt(entry, on);
            }

            @Override
            public Set<String> exempted() {
                return checks.stored();
            }
        };
    }
}
