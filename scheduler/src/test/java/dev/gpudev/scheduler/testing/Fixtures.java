package dev.gpudev.scheduler.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import dev.gpudev.scheduler.app.ReserveOutcome;
import dev.gpudev.scheduler.command.Command;
import dev.gpudev.scheduler.command.CommandParser;
import dev.gpudev.scheduler.engine.Engine;
import dev.gpudev.scheduler.model.ClusterSnapshot;
import dev.gpudev.scheduler.model.GithubLogin;
import dev.gpudev.scheduler.model.GpuCatalog;
import dev.gpudev.scheduler.model.NodeInfo;
import dev.gpudev.scheduler.model.RequestOptions;
import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.model.ReservationId;
import dev.gpudev.scheduler.model.SshPublicKey;
import dev.gpudev.scheduler.model.UserId;
import dev.gpudev.scheduler.policy.Limits;
import dev.gpudev.scheduler.policy.RequestValidator;
import dev.gpudev.scheduler.port.Cluster;
import dev.gpudev.scheduler.port.Identity;
import dev.gpudev.scheduler.port.Notifier;
import dev.gpudev.scheduler.port.ReservationStore;
import dev.gpudev.scheduler.service.ReservationService;

/** Test data shared by every module's tests. */
public final class Fixtures {
    public static final Instant T0 = Instant.parse("2026-11-02T09:00:00Z");
    public static final UserId ANA = new UserId("U0ANA");
    public static final UserId BO = new UserId("U0BO");
    public static final SshPublicKey ED25519 = SshPublicKey.parse(
            "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl ana@laptop");

    private Fixtures() {
    }

    /** A service with the default catalog and limits, everybody allowed in, and a fixed random seed; not started. */
    public static ReservationService service(ReservationStore store, Cluster cluster, Notifier notifier, Clock clock) {
        return service(store, cluster, new FakeIdentity(), notifier, clock);
    }

    public static ReservationService service(ReservationStore store, Cluster cluster, Identity identity, Notifier notifier, Clock clock) {
        GpuCatalog catalog = GpuCatalog.defaults();
        return new ReservationService(new Engine(catalog, Limits.defaults()), new RequestValidator(catalog, Limits.defaults()),
                store, cluster, identity, notifier, clock, new Random(7));
    }

    /** {@code text} (a reserve command) as {@code who} asks it; fails the test unless it is accepted. */
    public static Reservation accepted(ReservationService service, UserId who, String text) {
        var outcome = service.reserve(who, (Command.Reserve) CommandParser.parse(text), null);
        if (!(outcome instanceof ReserveOutcome.Accepted accepted)) {
            throw new AssertionError("`" + text + "` was not accepted: " + outcome);
        }
        return accepted.reservation();
    }

    /** {@code count} schedulable nodes of {@code type} with {@code gpus} each, named {@code type-1..n}. */
    public static ClusterSnapshot nodes(String type, int count, int gpus) {
        List<NodeInfo> nodes = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            nodes.add(NodeInfo.of(type + "-" + i, type, gpus));
        }
        return new ClusterSnapshot(nodes);
    }

    public static ClusterSnapshot plus(ClusterSnapshot a, ClusterSnapshot b) {
        List<NodeInfo> all = new ArrayList<>(a.nodes());
        all.addAll(b.nodes());
        return new ClusterSnapshot(all);
    }

    public static Reservation queued(String id, UserId owner, int gpus, Duration d, Instant at) {
        return Reservation.queued(new ReservationId(id), owner, id.substring(0, id.indexOf('-')), gpus, d, RequestOptions.NONE, at);
    }

    public static GithubLogin login(String s) {
        return new GithubLogin(s);
    }
}
