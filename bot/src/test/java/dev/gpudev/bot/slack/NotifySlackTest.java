package dev.gpudev.bot.slack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.gpudev.bot.conversation.NotifyViews;
import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.model.ReservationState;

/**
 * {@code /gpu notify} through the signed route, the real bot and the simulated cluster (two 8-GPU h100 nodes): the DM
 * comes once when a release frees a node, and its Reserve button reserves for the subscriber only, once.
 */
class NotifySlackTest {
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final Pattern ID = Pattern.compile("n-[0-9a-f]{8}");
    private SlackHarness h;

    @BeforeEach
    void start() throws Exception {
        h = new SlackHarness(Map.of());
    }

    @AfterEach
    void stop() {
        h.close();
    }

    private List<Reservation> of(String user) {
        return h.bot.service().state().live().values().stream().filter(r -> r.owner().value().equals(user)).toList();
    }

    /** What the bot answered {@code user}, each answer's strings (text, blocks, button values) decoded and joined. */
    private List<String> said(String user) {
        return h.responses(user).stream().map(b -> strings(JsonParser.parseString(b))).toList();
    }

    private static String strings(JsonElement e) {
        if (e.isJsonPrimitive()) {
            return e.getAsString();
        }
        StringBuilder all = new StringBuilder();
        if (e.isJsonObject()) {
            e.getAsJsonObject().entrySet().forEach(kv -> all.append(strings(kv.getValue())).append('\n'));
        } else if (e.isJsonArray()) {
            e.getAsJsonArray().forEach(x -> all.append(strings(x)).append('\n'));
        }
        return all.toString();
    }

    private List<String> dms(String containing) {
        return h.sent("chat.postMessage").stream().filter(b -> b.contains(containing)).toList();
    }

    @Test
    void aReleaseFiresOneDmWhoseReserveButtonReservesForTheSubscriberOnce() throws Exception {
        h.command("reserve h100 8 1h", "U0ANA");
        h.command("reserve h100 8 1h", "U0ANA");
        await().atMost(WAIT).until(() -> of("U0ANA").size() == 2 && of("U0ANA").stream().allMatch(r -> r.state() == ReservationState.ACTIVE));

        assertThat(h.command("notify h100 8 2h", "U0BOB").statusCode()).isEqualTo(200);
        await().atMost(WAIT).until(() -> said("U0BOB").stream().anyMatch(b -> b.contains("I'll DM you when 8 × h100 for 2h")));
        assertThat(said("U0BOB").getFirst()).contains("first in line").contains(NotifyViews.QUEUE);
        assertThat(dms("can start now")).isEmpty();

        h.press("cancel_confirmed", of("U0ANA").getFirst().id().value(), "U0ANA");
        await().atMost(WAIT).until(() -> dms("can start now").size() == 1);
        String dm = dms("can start now").getFirst();
        assertThat(dm).contains(NotifyViews.RESERVE);
        assertThat(h.sent("conversations.open")).anyMatch(b -> b.contains("U0BOB"));
        Matcher id = ID.matcher(dm);
        assertThat(id.find()).isTrue();

        h.press(NotifyViews.RESERVE, id.group(), "U0ANA");
        await().atMost(WAIT).until(() -> said("U0ANA").stream().anyMatch(b -> b.contains("someone else's notification")));
        h.press(NotifyViews.RESERVE, id.group(), "U0BOB");
        h.press(NotifyViews.RESERVE, id.group(), "U0BOB");
        await().atMost(WAIT).until(() -> said("U0BOB").stream().filter(b -> b.contains("Requested") || b.contains("reserved already")).count() == 2);

        assertThat(of("U0BOB")).singleElement().satisfies(r -> {
            assertThat(r.gpus()).isEqualTo(8);
            assertThat(r.duration()).isEqualTo(Duration.ofHours(2));
        });
        assertThat(of("U0ANA")).hasSize(1);
        await().atMost(WAIT).until(() -> of("U0BOB").getFirst().state() == ReservationState.ACTIVE);
        assertThat(dms("can start now")).as("fired once").hasSize(1);
    }

    @Test
    void absurdInputIsAnsweredInTheAckWithWhatWouldWork() throws Exception {
        assertThat(SlackHarness.text(h.command("notify h100", "U0BOB").body())).contains("/gpu notify <type> <gpus>");
        h.command("notify h100 16 2h", "U0BOB");
        await().atMost(WAIT).until(() -> said("U0BOB").stream().anyMatch(b -> b.contains("at most 8") && b.contains("/gpu reserve h100 16 2h")));
        assertThat(SlackHarness.text(h.command("notify list", "U0BOB").body())).contains("You wait for no notification");
    }
}
