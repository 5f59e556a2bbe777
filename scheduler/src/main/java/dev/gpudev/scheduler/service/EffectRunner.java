package dev.gpudev.scheduler.service;

import java.lang.System.Logger.Level;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import dev.gpudev.scheduler.engine.Effect;
import dev.gpudev.scheduler.model.GithubLogin;
import dev.gpudev.scheduler.model.Notice;
import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.model.SshPublicKey;
import dev.gpudev.scheduler.port.AccessDecision;
import dev.gpudev.scheduler.port.Cluster;
import dev.gpudev.scheduler.port.ClusterListener;
import dev.gpudev.scheduler.port.Identity;
import dev.gpudev.scheduler.port.Notifier;
import dev.gpudev.scheduler.port.ProvisionException;
import dev.gpudev.scheduler.port.ServerSpec;

/**
 * Runs the effects of committed decisions on its own executor, never on the thread that delivered the event (a chat
 * request, the ticker, the cluster informer): provisioning calls GitHub and Kubernetes. A batch runs in order, notices
 * first, so the owner hears "starting" before any progress the cluster reports for it. Tests and the sandbox may pass
 * a direct executor, so that a batch has run when the call that committed it returns.
 */
final class EffectRunner {
    private static final System.Logger LOG = System.getLogger(EffectRunner.class.getName());

    private final Executor executor;
    private final Cluster cluster;
    private final Notifier notifier;
    private final Identity identity;
    private final ProvisionRetries retries;
    private final Clock clock;
    private final BooleanSupplier stopped;
    /** Told how provisioning went: the service, which turns it into events. */
    private final ClusterListener outcomes;

    EffectRunner(Executor executor, Cluster cluster, Notifier notifier, Identity identity, ProvisionRetries retries, Clock clock,
                 BooleanSupplier stopped, ClusterListener outcomes) {
        this.executor = executor;
        this.cluster = cluster;
        this.notifier = notifier;
        this.identity = identity;
        this.retries = retries;
        this.clock = clock;
        this.stopped = stopped;
        this.outcomes = outcomes;
    }

    void run(List<Effect> effects) {
        if (effects.isEmpty() || stopped.getAsBoolean()) {
            return;
        }
        List<Effect> ordered = Stream.concat(effects.stream().filter(Effect.Notify.class::isInstance),
                effects.stream().filter(e -> !(e instanceof Effect.Notify))).toList();
        try {
            executor.execute(() -> ordered.forEach(this::runOne));
        } catch (RejectedExecutionException e) {
            LOG.log(Level.WARNING, "shutting down: " + ordered.size() + " effect(s) not run; the next start reconciles them");
        }
    }

    private void runOne(Effect e) {
        if (stopped.getAsBoolean()) {
            return;
        }
        try {
            switch (e) {
                case Effect.Provision(Reservation r) -> provision(r);
                case Effect.Release(Reservation r) -> cluster.release(r);
                case Effect.Notify(Notice n) -> notifier.notify(n);
                case Effect.Refused refused -> {
                }
            }
        } catch (RuntimeException ex) {
            LOG.log(Level.ERROR, "effect " + e.getClass().getSimpleName() + " failed: " + ex.getMessage(), ex);
            if (e instanceof Effect.Provision(Reservation r)) {
                outcomes.serverFailed(r.id(), "could not start the server: " + ex.getMessage());
            }
        }
    }

    /**
     * Looks up the keys and asks the cluster for the server. A transient failure (GitHub or the Kubernetes API briefly
     * unavailable) is tried again from the tick with backoff until the provision timeout, and the owner sees it as
     * progress; a permanent one fails the reservation at once with its reason.
     */
    private void provision(Reservation r) {
        try {
            cluster.provision(spec(r));
            if (retries.done(r.id())) {
                outcomes.serverProgress(r.id(), "the server was created on a later attempt; waiting for it to start");
            }
        } catch (ProvisionException.Transient e) {
            ProvisionRetries.Pending p = retries.failed(r.id(), e.reason(), clock.instant());
            LOG.log(Level.WARNING, "provisioning " + r.id() + " failed (attempt " + p.attempts() + "), retrying at " + p.next()
                    + ": " + e.getMessage());
            outcomes.serverProgress(r.id(), e.reason() + "; retrying…");
        } catch (ProvisionException.Permanent e) {
            retries.done(r.id());
            LOG.log(Level.WARNING, "provisioning " + r.id() + " failed for good: " + e.getMessage());
            outcomes.serverFailed(r.id(), e.reason());
        }
    }

    /** The server's spec with the keys of its owner and collaborators, as GitHub has them now. */
    ServerSpec spec(Reservation r) {
        List<SshPublicKey> keys = new ArrayList<>();
        GithubLogin owner = switch (identity.authorize(r.owner())) {
            case AccessDecision.Granted(GithubLogin login, List<SshPublicKey> k) -> {
                keys.addAll(k);
                yield login;
            }
            case AccessDecision.Denied(String reason) -> throw ProvisionException.permanent(reason, null);
            case AccessDecision.Unavailable(String reason) ->
                    throw ProvisionException.retryable("GitHub did not answer when asked for your SSH keys", null);
        };
        for (GithubLogin c : r.options().collaborators()) {
            switch (identity.authorizeLogin(c)) {
                case AccessDecision.Granted(GithubLogin l, List<SshPublicKey> k) -> keys.addAll(k);
                // a collaborator who lost access is left out; one GitHub could not answer for is waited for
                case AccessDecision.Denied(String reason) -> LOG.log(Level.INFO, "leaving " + c + " out of " + r.id() + ": " + reason);
                case AccessDecision.Unavailable(String reason) ->
                        throw ProvisionException.retryable("GitHub did not answer when asked for the SSH keys of " + c, null);
            }
        }
        return new ServerSpec(r, owner, keys, r.options().disk());
    }
}
