package dev.gpudev.bot.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.gpudev.scheduler.app.Actor;
import dev.gpudev.scheduler.app.Reservations;
import dev.gpudev.scheduler.command.CommandParser;
import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.model.ReservationState;
import dev.gpudev.scheduler.model.UserId;
import dev.gpudev.scheduler.port.InMemoryReservationStore;
import dev.gpudev.scheduler.service.ReservationService;
import dev.gpudev.scheduler.testing.FakeCluster;
import dev.gpudev.scheduler.testing.Fixtures;
import dev.gpudev.scheduler.testing.MutableClock;
import dev.gpudev.scheduler.testing.RecordingNotifier;

/** What the conversation answers, and that it acts only for the owner or an admin, over the real service. */
class ConversationTest {
    private static final Actor ANA = Actor.user(Fixtures.ANA);
    private static final Actor BO = Actor.user(Fixtures.BO);
    private static final Actor ADMIN = Actor.admin(new UserId("U0ADMIN"));

    private final FakeCluster cluster = new FakeCluster(Fixtures.nodes("h100", 2, 8));
    private final MutableClock clock = new MutableClock(Fixtures.T0);
    private final List<String> outbox = new ArrayList<>();
    private ReservationService service;
    private Conversation conversation;

    @BeforeEach
    void start() {
        service = Fixtures.service(new InMemoryReservationStore(), cluster, new RecordingNotifier(), clock);
        service.start();
        conversation = new Conversation(new Reservations(service), Linking.NONE, (to, m) -> outbox.add(to + ": " + m.text()));
    }

    /** Runs the work after the ack, as a platform would on its executor, and returns what it answered. */
    private static List<String> after(Reply reply) throws Exception {
        List<String> said = new ArrayList<>();
        ((Reply.Later) reply).work().run(m -> said.add(m.text()));
        return said;
    }

    private Reply say(Actor who, String text) {
        return conversation.command(who, CommandParser.parse(text), null);
    }

    private Reservation live(String id) {
        return service.state().live().get(new dev.gpudev.scheduler.model.ReservationId(id));
    }

    @Test
    void aCompleteReserveIsAckedAtOnceAndStoredOnlyByTheWorkAfterTheAck() throws Exception {
        Reply reply = say(ANA, "reserve h100 4 2h");

        assertThat(reply).isInstanceOfSatisfying(Reply.Later.class, l -> assertThat(l.ack().text()).startsWith(":hourglass: Reserving 4 × h100 for 2h"));
        assertThat(service.state().live()).as("nothing is stored before the ack").isEmpty();
        assertThat(after(reply)).as("accepted: the DM tells the rest").isEmpty();
        assertThat(service.state().live().values()).singleElement().satisfies(r -> assertThat(r.owner()).isEqualTo(Fixtures.ANA));
    }

    @Test
    void aRequestThatCanNeverBePlacedIsRefusedInTheAckAndNothingIsStored() {
        assertThat(say(ANA, "reserve h100 3 2h")).isInstanceOfSatisfying(Reply.Now.class, n -> assertThat(n.message().text())
                .startsWith(":no_entry: ").contains("1, 2, 4"));
        assertThat(service.state().live()).isEmpty();
    }

    @Test
    void somebodyElsesReleaseButtonIsRefusedAndTheServerStays() throws Exception {
        Reservation r = Fixtures.accepted(service, Fixtures.ANA, "reserve h100 8 2h");

        List<String> said = after(conversation.press(BO, Actions.CANCEL, r.id().value(), "k1"));

        assertThat(said).singleElement().satisfies(t -> assertThat(t).startsWith(":no_entry: ").contains("not yours"));
        assertThat(live(r.id().value())).isNotNull();
    }

    @Test
    void theOwnerAndAnAdminMayRelease() throws Exception {
        Reservation mine = Fixtures.accepted(service, Fixtures.ANA, "reserve h100 4 2h");
        Reservation other = Fixtures.accepted(service, Fixtures.BO, "reserve h100 4 2h");

        assertThat(after(conversation.press(ANA, Actions.CANCEL, mine.id().value(), "k1"))).singleElement()
                .satisfies(t -> assertThat(t).startsWith(":white_check_mark: "));
        assertThat(after(conversation.press(ADMIN, Actions.CANCEL, other.id().value(), "k2"))).singleElement()
                .satisfies(t -> assertThat(t).startsWith(":white_check_mark: "));
        assertThat(service.state().live()).isEmpty();
    }

    @Test
    void cancelByCommandFindsOnlyYourOwnButAnAdminIsAskedToConfirmAnyones() {
        Reservation r = Fixtures.accepted(service, Fixtures.ANA, "reserve h100 8 2h");

        assertThat(say(BO, "cancel " + r.id())).isInstanceOfSatisfying(Reply.Now.class, n -> assertThat(n.message().allButtons())
                .as("Bo gets no button for Ana's server").isEmpty());
        assertThat(say(ADMIN, "cancel " + r.id())).isInstanceOfSatisfying(Reply.Now.class, n -> {
            assertThat(n.message().text()).isEqualTo("Are you sure?");
            assertThat(n.message().allButtons()).singleElement().satisfies(b -> {
                assertThat(b.action()).isEqualTo(Actions.CANCEL_CONFIRMED);
                assertThat(b.value()).isEqualTo(r.id().value());
                assertThat(b.label()).isEqualTo("Release " + r.id());
            });
        });
        assertThat(live(r.id().value())).as("asking changes nothing").isNotNull();
    }

    @Test
    void anOutdatedExtendButtonExtendsNothing() throws Exception {
        Reservation r = Fixtures.accepted(service, Fixtures.ANA, "reserve h100 8 2h");
        cluster.ready(r.id());
        String drawn = r.id() + "|0";

        assertThat(after(conversation.press(ANA, Actions.EXTEND_1H, drawn, "first click"))).singleElement()
                .satisfies(t -> assertThat(t).startsWith(":white_check_mark: "));
        assertThat(after(conversation.press(ANA, Actions.EXTEND_1H, drawn, "the same button on another message"))).singleElement()
                .satisfies(t -> assertThat(t).contains("already extended"));
        assertThat(live(r.id().value()).extendedBy()).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void onlyAdminsMayUseAdminCommandsAndABroadcastReachesEveryOwner() throws Exception {
        Fixtures.accepted(service, Fixtures.ANA, "reserve h100 4 2h");
        Fixtures.accepted(service, Fixtures.BO, "reserve h100 4 2h");

        assertThat(say(BO, "admin broadcast hello")).isInstanceOfSatisfying(Reply.Now.class,
                n -> assertThat(n.message().text()).startsWith(":lock: "));
        assertThat(outbox).isEmpty();

        assertThat(after(say(ADMIN, "admin broadcast maintenance at 5"))).containsExactly("Sent to 2 people with live reservations.");
        assertThat(outbox).containsExactlyInAnyOrder("U0ANA: :mega: From the GPU admins: maintenance at 5",
                "U0BO: :mega: From the GPU admins: maintenance at 5");
    }

    @Test
    void aFormWithPartsMissingOrWrongGoesBackWithAnErrorPerInputAndReservesNothing() {
        assertThat(conversation.submit(ANA, Map.of(), "v1")).isInstanceOfSatisfying(Reply.Invalid.class,
                i -> assertThat(i.errors()).containsOnlyKeys(ReserveForm.TYPE, ReserveForm.GPUS, ReserveForm.DURATION));
        assertThat(conversation.submit(ANA, Map.of(ReserveForm.TYPE, List.of("h100"), ReserveForm.GPUS, List.of("2"),
                ReserveForm.CUSTOM, List.of("100h")), "v2")).as("a duration beyond the limit belongs to the typed input")
                .isInstanceOfSatisfying(Reply.Invalid.class, i -> assertThat(i.errors()).containsOnlyKeys(ReserveForm.CUSTOM));
        assertThat(service.state().live()).isEmpty();
    }

    @Test
    void aRightFormIsReservedAfterTheAck() throws Exception {
        Reply reply = conversation.submit(ANA, Map.of(ReserveForm.TYPE, List.of("h100"), ReserveForm.GPUS, List.of("2"),
                ReserveForm.DURATION, List.of("PT1H"), ReserveForm.OPTIONS, List.of()), "v3");

        assertThat(service.state().live()).isEmpty();
        assertThat(after(reply)).isEmpty();
        assertThat(service.state().live().values()).singleElement().satisfies(r -> {
            assertThat(r.gpus()).isEqualTo(2);
            assertThat(r.duration()).isEqualTo(Duration.ofHours(1));
            assertThat(r.state()).isIn(ReservationState.PROVISIONING, ReservationState.QUEUED);
        });
    }

    @Test
    void theReserveFormOffersWhatTheClusterHasAndKeepsWhatWasTyped() {
        Reply reply = say(ANA, "reserve h100 --jupyter");

        assertThat(reply).isInstanceOfSatisfying(Reply.Open.class, o -> {
            Form f = o.form();
            assertThat(f.inputs()).extracting(Form.Input::id).startsWith(ReserveForm.TYPE, ReserveForm.GPUS, ReserveForm.DURATION);
            assertThat(f.inputs().getFirst()).isInstanceOfSatisfying(Form.Choice.class, c -> {
                assertThat(c.options()).extracting(Form.Option::label).containsExactly("H100 — 16/16 free");
                assertThat(c.initial()).isEqualTo("h100");
            });
        });
    }
}
