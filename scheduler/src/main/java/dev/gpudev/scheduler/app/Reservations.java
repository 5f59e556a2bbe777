package dev.gpudev.scheduler.app;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

import dev.gpudev.scheduler.command.Command;
import dev.gpudev.scheduler.model.NodeName;
import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.policy.Validation;
import dev.gpudev.scheduler.port.StoreUnavailableException;
import dev.gpudev.scheduler.service.ReservationService;

/**
 * The use cases of the chat front-ends. Each takes the {@link Actor} the front-end resolved once for the request;
 * whether the actor may act on a reservation is decided here ({@link Actor#mayActOn}), nowhere else.
 * An idempotency key names the delivery (Slack's trigger id or action ts): a second delivery takes effect once.
 */
public final class Reservations {
    private static final String STORE_DOWN = "The reservation store is not answering, so nothing was changed. Try again in a minute.";

    private final ReservationService service;

    public Reservations(ReservationService service) {
        this.service = service;
    }

    /** Validates, authorizes and persists a request, then tells where it stands. */
    public ReserveOutcome reserve(Actor actor, Command.Reserve cmd, @Nullable String idempotencyKey) {
        return service.reserve(actor.user(), cmd, idempotencyKey);
    }

    /**
     * Books {@code cmd} for a window from {@code start} (see docs/scheduler.md, "Advance booking"); {@code zone} is the
     * actor's, for the times of a refusal. An admin booking whole nodes is bound by no booking limit.
     */
    public ReserveOutcome book(Actor actor, Command.Reserve cmd, Instant start, ZoneId zone, @Nullable String idempotencyKey) {
        return service.book(actor.user(), actor.admin(), cmd, start, zone, idempotencyKey);
    }

    /** The owner (or an admin) shows up on a started booking, so it is not released as unused. */
    public ActionOutcome useBooking(Actor actor, String idOrPrefix) {
        return service.useBooking(actor.user(), idOrPrefix, actor.admin());
    }

    /**
     * The check an ack can afford (pure and fast): why the request can never be placed, or empty. The quota and
     * GitHub access are checked by {@link #reserve}.
     */
    public Optional<String> check(Actor actor, Command.Reserve cmd) {
        return service.validator().validate(actor.user(), cmd, service.state().cluster(), 0) instanceof Validation.Invalid invalid
                ? Optional.of(invalid.reason()) : Optional.empty();
    }

    /** Cancels a queued request or releases a running server: the actor's own, or anyone's for an admin. */
    public ActionOutcome cancel(Actor actor, String idOrPrefix, @Nullable String idempotencyKey) {
        return service.cancel(actor.user(), idOrPrefix, actor.admin(), idempotencyKey);
    }

    public ActionOutcome extend(Actor actor, String idOrPrefix, Duration by, @Nullable String idempotencyKey) {
        return extend(actor, idOrPrefix, by, idempotencyKey, null);
    }

    /**
     * @param drawnWith the extension total the pressed button was drawn with: if it moved since, the button is outdated
     *                  (another click or message extended it already) and this one extends nothing
     */
    public ActionOutcome extend(Actor actor, String idOrPrefix, Duration by, @Nullable String idempotencyKey,
                                @Nullable Duration drawnWith) {
        return service.extend(actor.user(), idOrPrefix, by, actor.admin(), idempotencyKey, drawnWith);
    }

    /**
     * Resolves a full id or a unique prefix among the actor's reservations; with {@code everyone}, among everyone's for
     * an admin (for anyone else {@code everyone} is ignored). A blank id finds the actor's only live reservation.
     */
    public Lookup find(Actor actor, @Nullable String idOrPrefix, boolean everyone) {
        return service.find(actor.user(), idOrPrefix, everyone && actor.admin());
    }

    /** The actor's live reservations and the latest ended ones, newest first. */
    public List<Reservation> history(Actor actor, int limit) {
        return service.history(actor.user(), limit);
    }

    /** Drains a node (nothing new starts there; running servers stay) or undrains it. Admins only. */
    public ActionOutcome drain(Actor actor, NodeName node, boolean drained) {
        if (!actor.admin()) {
            return new ActionOutcome.Refused("Only admins may drain or undrain nodes.");
        }
        try {
            service.drain(node, drained);
        } catch (StoreUnavailableException e) {
            return new ActionOutcome.Refused(STORE_DOWN);
        }
        return new ActionOutcome.Changed(drained ? "Drained " + node + ": nothing new starts there; running servers stay until they end."
                : "Undrained " + node + ".");
    }

    /** Logs, SSH config and edits of running servers. */
    public Servers servers() {
        return new Servers(service);
    }

    /** The instant the use cases and the board go by (the sandbox's clock can be advanced). Cheap, unlike {@link #board}. */
    public Instant now() {
        return service.clock().instant();
    }

    /** What the chat shows: an immutable snapshot as of now. It plans every queue: build one per answer, not per line. */
    public Board board() {
        return Board.of(service.state(), service.engine(), service.validator(), service.clock().instant());
    }

    /** Runs {@code listener} whenever what {@link #board} shows may have changed (on the thread that changed it: keep it short). */
    public void onChange(Runnable listener) {
        service.watch(state -> listener.run());
    }

    /**
     * Records a delivery's trigger once, for front-end commands that change state outside the reservations (admin
     * commands, links): empty the first time, else what the first recorded.
     *
     * @throws StoreUnavailableException when the store cannot say
     */
    public Optional<String> claim(String key, String value) {
        return service.claim(key, value);
    }
}
