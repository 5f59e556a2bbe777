package dev.gpudev.adapters.aws;

import static dev.gpudev.scheduler.testing.Fixtures.ANA;
import static dev.gpudev.scheduler.testing.Fixtures.BO;
import static dev.gpudev.scheduler.testing.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.FieldSource;
import org.junit.jupiter.params.provider.ValueSource;

import dev.gpudev.scheduler.model.EndReason;
import dev.gpudev.scheduler.model.GithubLogin;
import dev.gpudev.scheduler.model.IdleMark;
import dev.gpudev.scheduler.model.NodeName;
import dev.gpudev.scheduler.model.RequestOptions;
import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.model.ReservationId;
import dev.gpudev.scheduler.model.ReservationState;
import dev.gpudev.scheduler.model.ServerAccess;
import dev.gpudev.scheduler.model.UserLink;
import dev.gpudev.scheduler.port.ReservationStore;
import dev.gpudev.scheduler.port.StoreConflictException;
import dev.gpudev.scheduler.testing.Fixtures;

/** What every {@link ReservationStore} must do; one subclass per implementation. */
abstract class ReservationStoreContract {
    private static final ServerAccess ACCESS = new ServerAccess("10.0.0.7", 30022, "dev", "https://10.0.0.7:8888/?token=t");
    private static final List<NodeName> NODES = List.of(new NodeName("h100-1"), new NodeName("h100-2"));

    static final List<Named<Reservation>> SHAPES = List.of(
            Named.of("queued, no options", Fixtures.queued("h100-0a01", ANA, 4, Duration.ofHours(2), T0)),
            Named.of("queued with every option", Reservation.queued(new ReservationId("l4-0a02"), ANA, "l4", 2, Duration.ofMinutes(90),
                    new RequestOptions(true, List.of(new GithubLogin("Bo-Dev"), new GithubLogin("cy")), "train run", "ghcr.io/x/y:1"),
                    T0.plusNanos(123_456_789))),
            Named.of("provisioning on two nodes", Fixtures.queued("h100-0a03", ANA, 16, Duration.ofHours(1), T0)
                    .provisioning(NODES, T0.plusSeconds(5)).withDetail("pulling image")),
            Named.of("active, reminded, extended, with a chat message", Fixtures.queued("h100-0a04", ANA, 8, Duration.ofHours(1), T0)
                    .provisioning(NODES.subList(0, 1), T0).active(ACCESS, T0.plusSeconds(60)).extended(Duration.ofMinutes(30))
                    .withReminderSent(Duration.ofMinutes(30)).withReminderSent(Duration.ofMinutes(15)).withChatRef("C01:1700000000.000100")
                    .withShown(ReservationState.ACTIVE).withReminded(Duration.ofMinutes(30))),
            Named.of("active, idle, asked and shown the question", Fixtures.queued("h100-0a07", ANA, 4, Duration.ofHours(3), T0)
                    .provisioning(NODES.subList(0, 1), T0).active(ACCESS, T0)
                    .withIdle(new IdleMark(T0.plusSeconds(60), T0.plusSeconds(1860), T0.plusSeconds(1862), null, 2))),
            Named.of("active, kept after a question, busy again", Fixtures.queued("h100-0a08", ANA, 4, Duration.ofHours(3), T0)
                    .provisioning(NODES.subList(0, 1), T0).active(ACCESS, T0)
                    .withIdle(new IdleMark(null, null, null, T0.plusSeconds(9000), 1))),
            Named.of("ended after running", Fixtures.queued("h100-0a05", ANA, 1, Duration.ofHours(1), T0)
                    .provisioning(NODES.subList(0, 1), T0).active(new ServerAccess("h", 22, "dev", null), T0)
                    .ended(EndReason.EXPIRED, "its time ran out", T0.plusSeconds(3600))),
            Named.of("rejected from the queue", Fixtures.queued("b200-0a06", BO, 8, Duration.ofHours(1), T0)
                    .ended(EndReason.REJECTED, "no b200 nodes", T0)));

    ReservationStore store;

    abstract ReservationStore newStore();

    /** Another store on the same data, as after a restart; the in-memory store has no other. */
    ReservationStore reopened() {
        return store;
    }

    @BeforeEach
    void fresh() {
        store = newStore();
    }

    @ParameterizedTest
    @FieldSource("SHAPES")
    void aCreatedReservationReadsBackEqualAtVersionOne(Reservation r) {
        Reservation stored = store.create(r);

        assertThat(stored).isEqualTo(r.withVersion(1));
        assertThat(store.find(r.id())).contains(stored);
    }

    @Test
    void whatTheOwnerWasShownIsRecordedByAnUpdateAndReadBack() {
        Reservation active = store.create(Fixtures.queued("h100-0a07", ANA, 1, Duration.ofHours(1), T0)
                .provisioning(NODES.subList(0, 1), T0).active(ACCESS, T0).withReminderSent(Duration.ofMinutes(30)));
        assertThat(active.shown()).isNull();
        assertThat(active.reminded()).isNull();

        Reservation shown = store.update(active.withChatRef("D01:1.2").withShown(ReservationState.ACTIVE).withReminded(Duration.ofMinutes(30)));

        assertThat(store.find(active.id())).contains(shown);
        assertThat(shown.shown()).isEqualTo(ReservationState.ACTIVE);
        assertThat(shown.reminded()).isEqualTo(Duration.ofMinutes(30));
        assertThat(store.live()).contains(shown);
    }

    @Test
    void anEndedReservationKeepsNoJupyterToken() {
        Reservation active = store.create(Fixtures.queued("h100-0a08", ANA, 1, Duration.ofHours(1), T0)
                .provisioning(NODES.subList(0, 1), T0).active(ACCESS, T0));
        assertThat(reopened().find(active.id())).hasValueSatisfying(r -> assertThat(r.access()).isEqualTo(ACCESS));

        store.update(active.ended(EndReason.EXPIRED, "its time ran out", T0.plusSeconds(3600)));

        assertThat(reopened().find(active.id())).hasValueSatisfying(r -> {
            assertThat(r.access()).isEqualTo(new ServerAccess("10.0.0.7", 30022, "dev", null));
            assertThat(r.toString()).doesNotContain("token=");
        });
        assertThat(reopened().byOwner(ANA, 10)).isNotEmpty().allSatisfy(r -> assertThat(r.toString()).doesNotContain("token="));
    }

    @Test
    void creatingAnExistingIdConflictsAndKeepsTheFirst() {
        Reservation first = store.create(Fixtures.queued("h100-0b01", ANA, 4, Duration.ofHours(2), T0));

        assertThatThrownBy(() -> store.create(Fixtures.queued("h100-0b01", BO, 8, Duration.ofHours(1), T0)))
                .isInstanceOf(StoreConflictException.class);
        assertThat(store.find(first.id())).contains(first);
    }

    @Test
    void anUpdateAtTheStoredVersionRaisesItAndAStaleOneConflicts() {
        Reservation v1 = store.create(Fixtures.queued("h100-0c01", ANA, 4, Duration.ofHours(2), T0));
        Reservation v2 = store.update(v1.provisioning(NODES.subList(0, 1), T0.plusSeconds(1)));

        assertThat(v2.version()).isEqualTo(2);
        assertThatThrownBy(() -> store.update(v1.ended(EndReason.CANCELLED, "stale", T0)))
                .isInstanceOf(StoreConflictException.class);
        assertThat(store.find(v1.id())).contains(v2);
    }

    @Test
    void updatingAReservationThatWasNeverCreatedConflicts() {
        assertThatThrownBy(() -> store.update(Fixtures.queued("h100-0c02", ANA, 4, Duration.ofHours(2), T0).withVersion(1)))
                .isInstanceOf(StoreConflictException.class);
        assertThat(store.find(new ReservationId("h100-0c02"))).isEmpty();
    }

    @Test
    void ofEightConcurrentUpdatesFromOneVersionExactlyOneWins() throws Exception {
        Reservation v1 = store.create(Fixtures.queued("h100-0d01", ANA, 4, Duration.ofHours(2), T0));
        List<Callable<Boolean>> writers = IntStream.range(0, 8).<Callable<Boolean>>mapToObj(i -> () -> {
            try {
                store.update(v1.withDetail("writer " + i));
                return true;
            } catch (StoreConflictException lost) {
                return false;
            }
        }).toList();
        List<Boolean> won;
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            List<Boolean> results = new java.util.ArrayList<>();
            for (Future<Boolean> f : pool.invokeAll(writers)) {
                results.add(f.get());
            }
            won = results;
        }

        assertThat(won).containsOnlyOnce(true);
        assertThat(store.find(v1.id())).hasValueSatisfying(r -> assertThat(r.version()).isEqualTo(2));
    }

    @Test
    void liveHoldsQueuedProvisioningAndActiveAndAnEndedOneStaysAsHistory() {
        for (Named<Reservation> shape : SHAPES) {
            store.create(shape.getPayload());
        }
        assertThat(store.live()).extracting(r -> r.id().value())
                .containsExactly("h100-0a01", "h100-0a03", "h100-0a04", "h100-0a07", "h100-0a08", "l4-0a02");

        Reservation active = store.find(new ReservationId("h100-0a04")).orElseThrow();
        store.update(active.ended(EndReason.CANCELLED, "cancelled by its owner", T0.plusSeconds(600)));

        assertThat(store.live()).extracting(Reservation::state).doesNotContain(ReservationState.ENDED).hasSize(5);
        assertThat(store.find(active.id())).hasValueSatisfying(r -> assertThat(r.endReason()).isEqualTo(EndReason.CANCELLED));
    }

    @Test
    void aUsersReservationsComeNewestFirstUpToTheLimit() {
        store.create(Fixtures.queued("h100-0e01", ANA, 1, Duration.ofHours(1), T0));
        store.create(Fixtures.queued("h100-0e02", ANA, 1, Duration.ofHours(1), T0.plusSeconds(60)).ended(EndReason.REJECTED, "x", T0));
        store.create(Fixtures.queued("h100-0e03", ANA, 1, Duration.ofHours(1), T0.plusSeconds(120)));
        store.create(Fixtures.queued("h100-0e04", ANA, 1, Duration.ofHours(1), T0.plusSeconds(120)));
        store.create(Fixtures.queued("h100-0e05", BO, 1, Duration.ofHours(1), T0.plusSeconds(500)));

        assertThat(store.byOwner(ANA, 10)).extracting(r -> r.id().value())
                .containsExactly("h100-0e04", "h100-0e03", "h100-0e02", "h100-0e01");
        assertThat(store.byOwner(ANA, 2)).extracting(r -> r.id().value()).containsExactly("h100-0e04", "h100-0e03");
        assertThat(store.byOwner(new dev.gpudev.scheduler.model.UserId("U0NOBODY"), 5)).isEmpty();
    }

    @ParameterizedTest(name = "{0} -> [{1}]")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            h100-7f3a   | h100-7f3a
            h100-7f     | h100-7f3a h100-7f99
            h1          | h100-1234 h100-7f3a h100-7f99 h1-00aa
            h100-       | h100-1234 h100-7f3a h100-7f99
            a           | a100-7f3a
            l4-0        | -
            z           | -
            """)
    void anIdPrefixFindsLiveAndEndedReservations(String prefix, String expected) {
        store.create(Fixtures.queued("h100-7f3a", ANA, 1, Duration.ofHours(1), T0));
        store.create(Fixtures.queued("h100-7f99", BO, 1, Duration.ofHours(1), T0).ended(EndReason.CANCELLED, "x", T0));
        store.create(Fixtures.queued("h100-1234", ANA, 1, Duration.ofHours(1), T0));
        store.create(Fixtures.queued("a100-7f3a", ANA, 1, Duration.ofHours(1), T0));
        store.create(Fixtures.queued("h1-00aa", ANA, 1, Duration.ofHours(1), T0));

        assertThat(store.byIdPrefix(prefix, 10)).extracting(r -> r.id().value()).containsExactlyInAnyOrder(
                expected == null ? new String[0] : expected.split(" "));
    }

    @Test
    void aPrefixLookupReadsAtMostTheLimitAndAnOwnersOnlyTheirs() {
        for (int i = 0; i < 30; i++) {
            store.create(Fixtures.queued(String.format("h100-%04x", 0x1000 + i), i % 3 == 0 ? ANA : BO, 1, Duration.ofHours(1), T0.plusSeconds(i)));
        }
        store.create(Fixtures.queued("a100-0001", ANA, 1, Duration.ofHours(1), T0));

        assertThat(store.byIdPrefix("h", 5)).hasSize(5).allMatch(r -> r.id().value().startsWith("h"));
        assertThat(store.byIdPrefix("h100-100", 100)).hasSize(16);
        assertThat(store.byOwnerIdPrefix(ANA, "h", 100)).hasSize(10).allMatch(r -> r.owner().equals(ANA));
        assertThat(store.byOwnerIdPrefix(ANA, "h", 3)).hasSize(3).allMatch(r -> r.owner().equals(ANA) && r.id().value().startsWith("h"));
        assertThat(store.byOwnerIdPrefix(ANA, "h100-1001", 10)).isEmpty();
        assertThat(store.byOwnerIdPrefix(BO, "h100-1001", 10)).extracting(r -> r.id().value()).containsExactly("h100-1001");
        assertThat(store.byOwnerIdPrefix(ANA, "a", 10)).extracting(r -> r.id().value()).containsExactly("a100-0001");
        assertThat(store.byOwnerIdPrefix(BO, "a", 10)).isEmpty();
    }

    @Test
    void drainedNodesAreReplacedAsAWholeAndSurviveANewStoreOnTheSameData() {
        assertThat(store.drained()).isEmpty();
        store.saveDrained(Set.copyOf(NODES));
        assertThat(store.drained()).containsExactlyInAnyOrderElementsOf(NODES);
        store.saveDrained(Set.of(NODES.get(1)));
        assertThat(store.drained()).containsExactly(NODES.get(1));
        assertThat(reopened().drained()).containsExactly(NODES.get(1));
        store.saveDrained(Set.of());
        assertThat(store.drained()).isEmpty();
    }

    @Test
    void idleExemptionsAreReplacedAsAWholeAndSurviveANewStoreOnTheSameData() {
        assertThat(store.idleExemptions()).isEmpty();
        store.saveIdleExemptions(Set.of("user:U0ANA", "team:vision", "reservation:h100-0a01"));
        assertThat(reopened().idleExemptions()).containsExactlyInAnyOrder("user:U0ANA", "team:vision", "reservation:h100-0a01");
        store.saveIdleExemptions(Set.of("team:vision"));
        assertThat(reopened().idleExemptions()).containsExactly("team:vision");
        assertThat(store.drained()).as("a separate item from the drained nodes").isEmpty();
    }

    @Test
    void aKeyIsClaimedOnceAndADuplicateLearnsWhatTheFirstRecorded() {
        assertThat(store.claim("reserve:T1", "h100-0f01")).isEmpty();
        assertThat(store.claim("reserve:T1", "h100-0f02")).contains("h100-0f01");
        assertThat(store.claim("reserve:T2", "h100-0f03")).isEmpty();
        assertThat(store.claimOnce("cancel:1700000000.1")).isTrue();
        assertThat(store.claimOnce("cancel:1700000000.1")).isFalse();
        String longKey = "k".repeat(3000);
        assertThat(store.claim(longKey, "a")).isEmpty();
        assertThat(store.claim(longKey, "b")).contains("a");
    }

    @Test
    void linksAreReadBackAndReplaced() {
        assertThat(store.link(ANA)).isEmpty();
        UserLink first = new UserLink(ANA, new GithubLogin("ana-gh"), UserLink.UNKNOWN_ID, false, T0);
        store.saveLink(first);
        assertThat(store.link(ANA)).contains(first);

        UserLink verified = new UserLink(ANA, new GithubLogin("ana-gh"), 583231, true, T0.plusSeconds(30));
        store.saveLink(verified);
        assertThat(store.link(ANA)).contains(verified);
        assertThat(store.link(BO)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(longs = {UserLink.UNKNOWN_ID, 1, 42, 9_007_199_254_740_993L, Long.MAX_VALUE})
    void theGithubIdRoundTripsAndARenameKeepsIt(long githubId) {
        UserLink link = new UserLink(ANA, new GithubLogin("Ana-GH"), githubId, true, T0);
        store.saveLink(link);
        assertThat(store.link(ANA)).hasValueSatisfying(l -> {
            assertThat(l.githubId()).isEqualTo(githubId);
            assertThat(l.login().value()).isEqualTo("Ana-GH");
        });

        store.saveLink(link.withAccount(new GithubLogin("ana-renamed"), githubId));
        assertThat(store.link(ANA)).hasValueSatisfying(l -> {
            assertThat(l.githubId()).isEqualTo(githubId);
            assertThat(l.login().value()).isEqualTo("ana-renamed");
        });
    }
}
