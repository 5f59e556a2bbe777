package dev.gpudev.adapters.kubernetes.leader;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import org.jspecify.annotations.Nullable;

/**
 * One bot replica's part in electing the leader on a Lease. The leader schedules and provisions; when it stops
 * (or dies), another replica takes over within the lease duration. Stopping releases the lease at once.
 *
 * <p>fabric8 calls its start callback inside the acquisition and renews only after it returns, so start-up work
 * longer than the lease would let another replica lead too. The start work therefore runs on a thread of its own and
 * the lease is renewed meanwhile; losing the lease interrupts it before {@code onStopLeading} runs, and start work
 * that fails gives the lease up.
 */
public final class LeaderElection implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(LeaderElection.class.getName());

    private final KubernetesClient client;
    private final String namespace;
    private final String leaseName;
    private final String identity;
    private final Duration leaseDuration;
    private final Runnable onStartLeading;
    private final Runnable onStopLeading;
    private volatile boolean leading;
    private @Nullable CompletableFuture<?> running;
    private volatile @Nullable Thread starting;

    /**
     * @param identity       this replica, unique among them (the pod name)
     * @param leaseDuration  how long a lease holds without renewal: the longest a dead leader is waited for
     * @param onStartLeading called when this replica becomes the leader
     * @param onStopLeading  called when it stops being the leader (lost the lease or stopped)
     */
    public LeaderElection(KubernetesClient client, String namespace, String leaseName, String identity, Duration leaseDuration,
                          Runnable onStartLeading, Runnable onStopLeading) {
        if (leaseDuration.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("leader-election.lease-duration must be at least a second");
        }
        if (identity.isBlank()) {
            throw new IllegalArgumentException("a leader candidate needs an identity");
        }
        this.client = client;
        this.namespace = namespace;
        this.leaseName = leaseName;
        this.identity = identity;
        this.leaseDuration = leaseDuration;
        this.onStartLeading = onStartLeading;
        this.onStopLeading = onStopLeading;
    }

    public synchronized void start() {
        if (running != null) {
            return;
        }
        var config = new LeaderElectionConfigBuilder()
                .withName(leaseName)
                .withLock(new LeaseLock(namespace, leaseName, identity))
                .withLeaseDuration(leaseDuration)
                // client-go's proportions: renew within 2/3 of the lease, retry a few times per renewal window
                .withRenewDeadline(leaseDuration.multipliedBy(2).dividedBy(3))
                .withRetryPeriod(leaseDuration.dividedBy(7))
                .withReleaseOnCancel(true)
                .withLeaderCallbacks(new LeaderCallbacks(() -> {
                    leading = true;
                    starting = Thread.ofPlatform().name("leader-start-" + identity).daemon().start(this::startLeading);
                }, () -> {
                    leading = false;
                    Thread start = starting;
                    if (start != null) {
                        start.interrupt();
                    }
                    onStopLeading.run();
                }, newLeader -> {
                }))
                .build();
        running = client.leaderElector().withConfig(config).build().start();
    }

    private void startLeading() {
        try {
            onStartLeading.run();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "the leader's start failed; giving the lease up: " + e.getMessage(), e);
            stop();
        } finally {
            starting = null;
        }
    }

    /** Gives up leadership (releasing the lease) and stops competing. */
    public synchronized void stop() {
        if (running != null) {
            running.cancel(true);
            running = null;
        }
    }

    public boolean leading() {
        return leading;
    }

    public String identity() {
        return identity;
    }

    @Override
    public void close() {
        stop();
    }
}
