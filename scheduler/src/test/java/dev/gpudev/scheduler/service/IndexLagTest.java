package dev.gpudev.scheduler.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.Test;

import dev.gpudev.scheduler.app.ReserveOutcome;
import dev.gpudev.scheduler.command.Command;
import dev.gpudev.scheduler.model.ClusterSnapshot;
import dev.gpudev.scheduler.model.NodeName;
import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.model.ReservationId;
import dev.gpudev.scheduler.model.ReservationState;
import dev.gpudev.scheduler.model.UserId;
import dev.gpudev.scheduler.model.UserLink;
import dev.gpudev.scheduler.port.Cluster;
import dev.gpudev.scheduler.port.ClusterListener;
import dev.gpudev.scheduler.port.InMemoryReservationStore;
import dev.gpudev.scheduler.port.LeaderTerm;
import dev.gpudev.scheduler.port.ReservationStore;
import dev.gpudev.scheduler.port.ServerSpec;
import dev.gpudev.scheduler.testing.FakeCluster;
import dev.gpudev.scheduler.testing.Fixtures;
import dev.gpudev.scheduler.testing.MutableClock;
import dev.gpudev.scheduler.testing.RecordingNotifier;

/**
 * The store's live index lags its writes (DynamoDB's live-index is eventually consistent): the periodic reload must not
 * forget a reservation placed a moment ago, release its server and book its GPUs again. Found in review.
 */
class IndexLagTest {
    /** {@code live()} misses what was created while {@code lag} is on; every read by key is consistent. */
    static final class LaggingStore implements ReservationStore {
        final InMemoryReservationStore s = new InMemoryReservationStore();
        final Set<ReservationId> notIndexedYet = ConcurrentHashMap.newKeySet();
        volatile boolean lag = true;

        @Override public Reservation create(Reservation r, long term) {
            Reservation c = s.create(r, term);
            if (lag) {
                notIndexedYet.add(r.id());
            }
            return c;
        }
        @Override public Reservation update(Reservation r, long term) { return s.update(r, term); }
        @Override public LeaderTerm lead() { return s.lead(); }
        @Override public void book(long term, Set<ReservationId> holders) { s.book(term, holders); }
        @Override public Optional<Reservation> find(ReservationId id) { return s.find(id); }
        @Override public List<Reservation> live() { return s.live().stream().filter(r -> !notIndexedYet.contains(r.id())).toList(); }
        @Override public List<Reservation> byOwner(UserId owner, int limit) { return s.byOwner(owner, limit); }
        @Override public List<Reservation> byIdPrefix(String prefix, int limit) { return s.byIdPrefix(prefix, limit); }
        @Override public List<Reservation> byOwnerIdPrefix(UserId owner, String prefix, int limit) { return s.byOwnerIdPrefix(owner, prefix, limit); }
        @Override public Optional<String> claim(String key, String value) { return s.claim(key, value); }
        @Override public Optional<UserLink> link(UserId user) { return s.link(user); }
        @Override public void saveLink(UserLink link) { s.saveLink(link); }
        @Override public Set<NodeName> drained() { return s.drained(); }
        @Override public void saveDrained(Set<NodeName> nodes) { s.saveDrained(nodes); }
    }

    @Test
    void aReloadWithinTheIndexLagKeepsAJustPlacedReservationAndItsServer() {
        LaggingStore store = new LaggingStore();
        FakeCluster fake = new FakeCluster(Fixtures.nodes("h100", 1, 8));
        Cluster cluster = new Cluster() {
            @Override public ClusterSnapshot snapshot() { return fake.snapshot(); }
            @Override public void provision(ServerSpec spec) { fake.provision(spec); }
            @Override public void release(Reservation r) { fake.release(r); }
            @Override public void listen(ClusterListener l) { fake.listen(l); }
            @Override public Set<ReservationId> servers() {
                return Set.copyOf(fake.provisioned.stream().map(s -> s.reservation().id()).toList());
            }
        };
        ReservationService service = Fixtures.service(store, cluster, new RecordingNotifier(), new MutableClock(Fixtures.T0));
        service.start();
        var first = service.reserve(Fixtures.ANA, new Command.Reserve("h100", 8, Duration.ofHours(1), false, List.of(), "a", null), "t-a");
        ReservationId ana = ((ReserveOutcome.Accepted) first).reservation().id();
        assertThat(store.find(ana).orElseThrow().state()).isEqualTo(ReservationState.PROVISIONING);

        service.reload();
        store.lag = false;
        service.reserve(Fixtures.BO, new Command.Reserve("h100", 8, Duration.ofHours(1), false, List.of(), "b", null), "t-b");

        assertThat(fake.released).extracting(Reservation::id).doesNotContain(ana);
        assertThat(store.s.live()).filteredOn(r -> r.state().holdsGpus()).extracting(Reservation::id).containsExactly(ana);
    }
}
