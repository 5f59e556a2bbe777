package dev.gpudev.bot.slack;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.gpudev.bot.conversation.ReservationViews;
import dev.gpudev.bot.conversation.ReserveForm;
import dev.gpudev.bot.conversation.StatusViews;
import dev.gpudev.scheduler.app.Board;
import dev.gpudev.scheduler.command.Command;
import dev.gpudev.scheduler.engine.Engine;
import dev.gpudev.scheduler.engine.SchedulerState;
import dev.gpudev.scheduler.model.ClusterSnapshot;
import dev.gpudev.scheduler.model.EndReason;
import dev.gpudev.scheduler.model.GithubLogin;
import dev.gpudev.scheduler.model.GpuCatalog;
import dev.gpudev.scheduler.model.GpuType;
import dev.gpudev.scheduler.model.NodeInfo;
import dev.gpudev.scheduler.model.NodeName;
import dev.gpudev.scheduler.model.Notice;
import dev.gpudev.scheduler.model.RequestOptions;
import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.model.ReservationId;
import dev.gpudev.scheduler.model.ServerAccess;
import dev.gpudev.scheduler.model.UserId;
import dev.gpudev.scheduler.policy.Limits;
import dev.gpudev.scheduler.policy.RequestValidator;
import dev.gpudev.scheduler.port.ClusterListener;
import dev.gpudev.scheduler.testing.Fixtures;

/** Every view against Slack's Block Kit limits, with long names, long reasons and many reservations. */
class ViewLimitsTest {
    private static final Instant NOW = Fixtures.T0;
    private static final String LONG = "x".repeat(5000);
    private static final GpuCatalog CATALOG = new GpuCatalog(Stream.concat(GpuCatalog.defaults().types().stream(),
            Stream.of(new GpuType("gpu" + "9".repeat(13), Set.of(), 8, "p9." + "y".repeat(60), Map.of(), true))).toList());

    private static Reservation active(int i) {
        String node = "ip-10-0-" + i + "-1.us-east-2.compute.internal-with-a-very-long-node-name-" + "n".repeat(80);
        var options = new RequestOptions(true, List.of(new GithubLogin("a".repeat(39)), new GithubLogin("b".repeat(39))),
                "n".repeat(300), "registry.example.com/" + "i".repeat(200));
        return Reservation.queued(new ReservationId("h100-" + String.format("%04x", i)), new UserId("U" + "9".repeat(20) + i), "h100", 8,
                        Duration.ofHours(24), options, NOW)
                .provisioning(List.of(new NodeName(node)), NOW)
                .active(new ServerAccess("h".repeat(200) + ".example.com", 30022, "dev", "https://" + "j".repeat(300)), NOW)
                .withDetail(LONG);
    }

    private static SchedulerState crowded() {
        List<Reservation> all = new ArrayList<>();
        List<NodeInfo> nodes = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            all.add(active(i));
            nodes.add(NodeInfo.of(active(i).nodes().getFirst().value(), "h100", 8));
            all.add(Fixtures.queued("h100-" + String.format("%04x", 0x8000 + i), new UserId("U" + "7".repeat(20) + i), 8, Duration.ofHours(24), NOW));
        }
        return SchedulerState.of(all, new ClusterSnapshot(nodes));
    }

    private static Board board(SchedulerState state) {
        return Board.of(state, new Engine(CATALOG, Limits.defaults()), new RequestValidator(CATALOG, Limits.defaults()), NOW);
    }

    static List<Arguments> messages() {
        Reservation r = active(1);
        Reservation failed = r.ended(EndReason.FAILED, LONG, NOW);
        return List.of(
                Arguments.of(Named.of("queued", BlockKit.blocks(ReservationViews.of(new Notice.Queued(r, 999, NOW))))),
                Arguments.of(Named.of("starting with a long progress text", BlockKit.blocks(ReservationViews.of(new Notice.Starting(r))))),
                Arguments.of(Named.of("ready with long host and Jupyter URL", BlockKit.blocks(ReservationViews.of(new Notice.Ready(r))))),
                Arguments.of(Named.of("last reminder", BlockKit.blocks(ReservationViews.of(new Notice.Reminder(r, Duration.ofMinutes(5), true))))),
                Arguments.of(Named.of("failed with a 5000-character reason", BlockKit.blocks(ReservationViews.of(new Notice.Ended(failed))))),
                Arguments.of(Named.of("failed with 5000 characters of log", BlockKit.blocks(ReservationViews.of(new Notice.Ended(
                        r.ended(EndReason.FAILED, "its pod stopped (Failed)" + ClusterListener.LOG_LINES + LONG, NOW)))))),
                Arguments.of(Named.of("queue status with 400 running and 400 waiting",
                        BlockKit.blocks(StatusViews.queueStatus(board(crowded()))))));
    }

    @ParameterizedTest
    @MethodSource("messages")
    void messagesStayWithinBlockKitLimits(Object blocks) {
        assertThat(BlockKitLimits.message(blocks)).isEmpty();
    }

    @Test
    void aFailureShowsTheEndOfTheServersLogAsCode() {
        Reservation r = active(1).ended(EndReason.FAILED, "its pod stopped (Failed)" + ClusterListener.LOG_LINES
                + "loading\nOSError: <no space>", NOW);
        assertThat(BlockKit.blocks(ReservationViews.of(new Notice.Ended(r))).toString())
                .contains("failed: its pod stopped (Failed). The end of its log:\n```loading\nOSError: &lt;no space&gt;```");
    }

    @ParameterizedTest
    @MethodSource("views")
    void viewsStayWithinBlockKitLimits(Object view) {
        assertThat(BlockKitLimits.view(view)).isEmpty();
    }

    static List<Arguments> views() {
        SchedulerState crowded = crowded();
        List<Reservation> mine = crowded.live().values().stream().limit(200).toList();
        return List.of(
                Arguments.of(Named.of("home with 200 reservations", BlockKit.home(StatusViews.home(board(crowded), mine, LONG)))),
                Arguments.of(Named.of("reserve form on a crowded cluster", BlockKit.modal(ReserveForm.form(board(crowded),
                        new Command.Reserve("h100", 8, Duration.ofHours(2), true, List.of("octocat"), null, null))))));
    }

    @ParameterizedTest
    @MethodSource("messages")
    void theCheckerFindsABreachWhenThereIsOne(Object blocks) {
        List<Object> tooMany = new ArrayList<>();
        for (int i = 0; i < 51; i++) {
            tooMany.addAll((List<?>) blocks);
        }
        assertThat(BlockKitLimits.message(tooMany)).anyMatch(b -> b.contains("max 50"));
    }
}
