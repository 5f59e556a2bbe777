package dev.gpudev.bot.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import com.slack.api.util.json.GsonFactory;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.gpudev.bot.conversation.Message;
import dev.gpudev.bot.conversation.PlainText;
import dev.gpudev.bot.conversation.ReservationViews;
import dev.gpudev.bot.conversation.StatusViews;
import dev.gpudev.bot.slack.BlockKit;
import dev.gpudev.scheduler.app.Board;
import dev.gpudev.scheduler.engine.Engine;
import dev.gpudev.scheduler.engine.SchedulerState;
import dev.gpudev.scheduler.model.EndReason;
import dev.gpudev.scheduler.model.GpuCatalog;
import dev.gpudev.scheduler.model.NodeName;
import dev.gpudev.scheduler.model.Notice;
import dev.gpudev.scheduler.model.RequestOptions;
import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.model.ReservationId;
import dev.gpudev.scheduler.model.ServerAccess;
import dev.gpudev.scheduler.policy.Limits;
import dev.gpudev.scheduler.policy.RequestValidator;
import dev.gpudev.scheduler.testing.Fixtures;

/**
 * One model, two renderings: what the sandbox console prints of the Block Kit Slack gets equals the model's plain-text
 * rendering (line for line, button for button), for every message the bot sends.
 */
class ConsoleRenderingTest {
    static List<Arguments> messages() {
        Reservation queued = Reservation.queued(new ReservationId("h100-7f3a"), Fixtures.ANA, "h100", 8, Duration.ofHours(2),
                RequestOptions.NONE, Fixtures.T0);
        Reservation active = queued.provisioning(List.of(new NodeName("h100-1")), Fixtures.T0)
                .active(new ServerAccess("h100-1.example.com", 22, "dev", "https://h100-1.example.com:8888/?token=t"), Fixtures.T0);
        Board board = Board.of(SchedulerState.of(List.of(active, Fixtures.queued("h100-0b0b", Fixtures.BO, 8, Duration.ofHours(1), Fixtures.T0)),
                        Fixtures.nodes("h100", 1, 8)), new Engine(GpuCatalog.defaults(), Limits.defaults()),
                new RequestValidator(GpuCatalog.defaults(), Limits.defaults()), Fixtures.T0);
        return List.of(
                Arguments.of(Named.of("queued", ReservationViews.of(new Notice.Queued(queued, 2, Fixtures.T0.plusSeconds(3600))))),
                Arguments.of(Named.of("ready", ReservationViews.of(new Notice.Ready(active)))),
                Arguments.of(Named.of("reminder", ReservationViews.of(new Notice.Reminder(active, Duration.ofMinutes(15), false)))),
                Arguments.of(Named.of("idle question", ReservationViews.of(new Notice.IdleQuestion(active, Duration.ofMinutes(30), 0.4,
                        39_000, Duration.ofMinutes(20), Duration.ofHours(2))))),
                Arguments.of(Named.of("reclaimed idle", ReservationViews.of(new Notice.Ended(active.ended(EndReason.RECLAIMED_IDLE,
                        "its 8 GPUs were below 5 % for 30 min", Fixtures.T0))))),
                Arguments.of(Named.of("failed", ReservationViews.of(new Notice.Ended(active.ended(EndReason.FAILED, "OOM <killed> & gone", Fixtures.T0))))),
                Arguments.of(Named.of("queue status", StatusViews.queueStatus(board))),
                Arguments.of(Named.of("home", StatusViews.home(board, List.of(active), "You are <@U0ANA>, linked to *ana*."))));
    }

    @ParameterizedTest
    @MethodSource("messages")
    void theConsolePrintsOfSlacksBlocksWhatThePlainRenderingSays(Message m) {
        SlackText.Rendered console = SlackText.blocks(m.summary(), GsonFactory.createSnakeCase().toJson(BlockKit.blocks(m)));
        PlainText.Rendered plain = PlainText.render(m);

        assertThat(console.lines()).isEqualTo(plain.lines());
        assertThat(console.buttons()).extracting(SlackText.Button::actionId, SlackText.Button::value, SlackText.Button::label)
                .isEqualTo(plain.buttons().stream().map(b -> org.assertj.core.groups.Tuple.tuple(b.action(), b.value(), b.label())).toList());
        assertThat(String.join("\n", plain.lines())).doesNotContain("<!date", "&lt;", "&amp;");
    }
}
