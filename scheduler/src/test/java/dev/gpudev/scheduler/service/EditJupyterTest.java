package dev.gpudev.scheduler.service;

import static dev.gpudev.scheduler.testing.Fixtures.ANA;
import static dev.gpudev.scheduler.testing.Fixtures.BO;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import dev.gpudev.scheduler.app.ActionOutcome;
import dev.gpudev.scheduler.command.Command;
import dev.gpudev.scheduler.engine.Engine;
import dev.gpudev.scheduler.model.ClusterSnapshot;
import dev.gpudev.scheduler.model.DiskName;
import dev.gpudev.scheduler.model.GithubLogin;
import dev.gpudev.scheduler.model.GpuCatalog;
import dev.gpudev.scheduler.model.Notice;
import dev.gpudev.scheduler.model.RequestOptions;
import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.model.ReservationState;
import dev.gpudev.scheduler.model.ServerAccess;
import dev.gpudev.scheduler.model.UserId;
import dev.gpudev.scheduler.policy.Limits;
import dev.gpudev.scheduler.policy.RequestValidator;
import dev.gpudev.scheduler.port.Cluster;
import dev.gpudev.scheduler.port.ClusterListener;
import dev.gpudev.scheduler.port.InMemoryReservationStore;
import dev.gpudev.scheduler.port.ProvisionException;
import dev.gpudev.scheduler.port.ServerSpec;
import dev.gpudev.scheduler.testing.FakeCluster;
import dev.gpudev.scheduler.testing.FakeIdentity;
import dev.gpudev.scheduler.testing.Fixtures;
import dev.gpudev.scheduler.testing.MutableClock;
import dev.gpudev.scheduler.testing.RecordingNotifier;

/** {@code /gpu edit --jupyter on|off}: switched in the running server first, then recorded with its new access. */
class EditJupyterTest {
    private final MutableClock clock = new MutableClock(Fixtures.T0);
    private final InMemoryReservationStore store = new InMemoryReservationStore();
    private final Switching cluster = new Switching(new FakeCluster(Fixtures.nodes("h100", 1, 8)));
    private final RecordingNotifier notifier = new RecordingNotifier();

    /** The fake cluster, with Jupyter switched as asked (a new token each time it goes on) or refused. */
    static final class Switching implements Cluster {
        final FakeCluster fake;
        final List<Boolean> switched = new CopyOnWriteArrayList<>();
        @Nullable ProvisionException refusal;
        int tokens;

        Switching(FakeCluster fake) {
            this.fake = fake;
        }

        @Override
        public ServerAccess switchJupyter(Reservation r, boolean on) {
            if (refusal != null) {
                throw refusal;
            }
            switched.add(on);
            boolean was = r.access() != null && r.access().jupyterUrl() != null;
            String url = !on ? null : was ? r.access().jupyterUrl() : "http://localhost:8888/lab?token=t" + ++tokens;
            return new ServerAccess("10.0.0.1", 30022, "dev", url);
        }

        @Override
        public ClusterSnapshot snapshot() {
            return fake.snapshot();
        }

        @Override
        public void provision(ServerSpec spec) {
            fake.provision(spec);
        }

        @Override
        public void release(Reservation reservation) {
            fake.release(reservation);
        }

        @Override
        public void listen(ClusterListener listener) {
            fake.listen(listener);
        }
    }

    private ReservationService service(boolean jupyterAllowed) {
        GpuCatalog catalog = GpuCatalog.defaults();
        ReservationService s = new ReservationService(new Engine(catalog, Limits.defaults()),
                new RequestValidator(catalog, Limits.defaults(), jupyterAllowed), store, cluster, new FakeIdentity(), notifier, clock, new Random(7));
        s.start();
        return s;
    }

    private Reservation running(ReservationService service) {
        Reservation r = Fixtures.accepted(service, ANA, "reserve h100 1 1h");
        cluster.fake.listener().serverReady(r.id(), new ServerAccess("10.0.0.1", 30022, "dev", null, "8 × H100 · image x"));
        return store.find(r.id()).orElseThrow();
    }

    private static ActionOutcome edit(ReservationService s, UserId who, Reservation r, boolean on) {
        return s.edit(who, false, new Command.Edit(r.id().value(), List.of(), List.of(), on));
    }

    private Reservation stored(Reservation r) {
        return store.find(r.id()).orElseThrow();
    }

    @Test
    void aRunningServerSwitchesAndTheFlagIsRecordedWithItsNewAccessAndMessage() {
        ReservationService service = service(true);
        Reservation r = running(service);

        assertThat(edit(service, ANA, r, true)).isInstanceOfSatisfying(ActionOutcome.Done.class,
                d -> assertThat(d.message()).contains("Jupyter is on in " + r.id()).contains("no restart").doesNotContain("token"));
        assertThat(stored(r).options().jupyter()).isTrue();
        assertThat(stored(r).access().jupyterUrl()).isEqualTo("http://localhost:8888/lab?token=t1");
        assertThat(stored(r).access().about()).as("what the server runs is kept").isEqualTo("8 × H100 · image x");
        assertThat(notifier.of(Notice.Changed.class)).singleElement()
                .satisfies(n -> assertThat(n.reservation().access().jupyterUrl()).endsWith("token=t1"));
        long version = stored(r).version();

        assertThat(edit(service, ANA, r, true)).isInstanceOf(ActionOutcome.Done.class);
        assertThat(stored(r).version()).as("again: nothing new recorded").isEqualTo(version);
        assertThat(notifier.of(Notice.Changed.class)).hasSize(1);

        assertThat(edit(service, ANA, r, false)).isInstanceOfSatisfying(ActionOutcome.Done.class,
                d -> assertThat(d.message()).contains("Jupyter is off"));
        assertThat(stored(r).options().jupyter()).isFalse();
        assertThat(stored(r).access().jupyterUrl()).isNull();
        assertThat(notifier.of(Notice.Changed.class)).hasSize(2);
        assertThat(cluster.switched).containsExactly(true, true, false);
    }

    @Test
    void aSwitchTheClusterRefusesRecordsNothingAndSaysWhy() {
        ReservationService service = service(true);
        Reservation r = running(service);
        cluster.refusal = ProvisionException.permanent("this server was started by an older version of the bot", null);

        assertThat(edit(service, ANA, r, true)).isInstanceOfSatisfying(ActionOutcome.Refused.class,
                d -> assertThat(d.reason()).contains("older version").contains("Nothing changed"));
        assertThat(stored(r).options().jupyter()).isFalse();
        assertThat(stored(r).access().jupyterUrl()).isNull();
    }

    @Test
    void onlyTheOwnerSwitchesAndOnlyWhereTheClusterRunsJupyter() {
        ReservationService service = service(true);
        Reservation r = running(service);

        assertThat(edit(service, BO, r, true)).isInstanceOfSatisfying(ActionOutcome.Refused.class,
                d -> assertThat(d.reason()).contains("not yours"));
        service = service(false);
        assertThat(edit(service, ANA, r, true)).isInstanceOfSatisfying(ActionOutcome.Refused.class,
                d -> assertThat(d.reason()).contains("Jupyter is not enabled on this cluster"));
        assertThat(cluster.switched).isEmpty();
        assertThat(stored(r).options().jupyter()).isFalse();
        assertThat(edit(service, ANA, r, false)).as("off is always allowed").isInstanceOf(ActionOutcome.Done.class);
    }

    @Test
    void aQueuedReservationRecordsTheFlagAndItsServerStartsWithJupyter() {
        ReservationService service = service(true);
        running(service);
        Reservation queued = Fixtures.accepted(service, ANA, "reserve h100 8 1h");
        assertThat(stored(queued).state()).isEqualTo(ReservationState.QUEUED);

        assertThat(edit(service, ANA, queued, true)).isInstanceOfSatisfying(ActionOutcome.Done.class,
                d -> assertThat(d.message()).contains("will start with Jupyter"));
        assertThat(stored(queued).options().jupyter()).isTrue();
        assertThat(cluster.switched).isEmpty();
    }

    @Test
    void changingCollaboratorsKeepsTheOtherOptionsTheDiskToo() {
        RequestOptions was = new RequestOptions(true, List.of(), "exp", "ghcr.io/acme/dev:1", new DiskName("data"));

        RequestOptions now = Edits.changed(was, List.of(new GithubLogin("octocat")), List.of());

        assertThat(now).isEqualTo(new RequestOptions(true, List.of(new GithubLogin("octocat")), "exp", "ghcr.io/acme/dev:1", new DiskName("data")));
    }
}
