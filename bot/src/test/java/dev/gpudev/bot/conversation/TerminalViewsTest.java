package dev.gpudev.bot.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.gpudev.scheduler.model.NodeName;
import dev.gpudev.scheduler.model.DiskName;
import dev.gpudev.scheduler.model.Notice;
import dev.gpudev.scheduler.model.RequestOptions;
import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.model.ReservationId;
import dev.gpudev.scheduler.model.ServerAccess;
import dev.gpudev.scheduler.model.UserId;

/** The reminder shown in a server's terminal: plain text, times in UTC, nothing of Slack's markup. */
class TerminalViewsTest {
    private static final Instant START = Instant.parse("2026-12-05T02:04:00Z");

    private static Reservation active() {
        return Reservation.queued(new ReservationId("h100-7f3a"), new UserId("U0ANA"), "h100", 4, Duration.ofHours(2),
                        RequestOptions.NONE, START)
                .provisioning(List.of(new NodeName("h100-sim-1")), START)
                .active(new ServerAccess("h100-sim-1.example.com", 22, "dev", null), START);
    }

    @Test
    void aReminderIsPlainTextWithTheEndInUtc() {
        String text = TerminalViews.reminder(new Notice.Reminder(active(), Duration.ofMinutes(15), false));

        assertThat(text).isEqualTo("""
                gpu-dev: reservation h100-7f3a (4 × H100) ends in 15m, at 04:04 UTC.
                Extend it with the button in my DM to you or /gpu extend h100-7f3a 2h, or release it if you are done.""");
    }

    @Test
    void aDiscordUsersReminderDoesNotSendThemToSlack() {
        Reservation r = active();
        Reservation discord = Reservation.queued(r.id(), new UserId("discord:123456789012345678"), "h100", 4, Duration.ofHours(2),
                        RequestOptions.NONE, START)
                .provisioning(r.nodes(), START).active(r.access(), START);

        assertThat(TerminalViews.reminder(new Notice.Reminder(discord, Duration.ofMinutes(15), false)))
                .doesNotContainIgnoringCase("slack").contains("/gpu extend h100-7f3a 2h");
    }

    @Test
    void theLastReminderSaysWhatIsKeptAndWhatIsDeleted() {
        String text = TerminalViews.reminder(new Notice.Reminder(active(), Duration.ofMinutes(5), true));

        assertThat(text).startsWith("gpu-dev: reservation h100-7f3a (4 × H100) ends in 5m, at 04:04 UTC.\n")
                .contains("Kept: your home /home/dev (snapshotted). Deleted: everything else on the server").doesNotContain("`");
    }

    /** Exactly what this cluster keeps: the reservation's disk, /shared only where configured, nothing without homes. */
    @Test
    void whatIsKeptFollowsTheClusterAndTheReservationsDisk() {
        Reservation r = active();
        Reservation withDisk = Reservation.queued(r.id(), r.owner(), "h100", 4, Duration.ofHours(2),
                        new RequestOptions(false, List.of(), null, null, new DiskName("ckpt")), START)
                .provisioning(r.nodes(), START).active(r.access(), START);

        assertThat(new Survival("/home/me", List.of("/shared")).plain(withDisk))
                .startsWith("Kept: your home /home/me, your disk ckpt at /disks/ckpt (both snapshotted), /shared. Deleted:");
        assertThat(new Survival(null, List.of()).plain(r)).startsWith("Nothing on this server is kept.");
        assertThat(TerminalViews.reminder(new Notice.Reminder(withDisk, Duration.ofMinutes(5), true), new Survival("/home/dev", List.of())))
                .contains("your disk ckpt at /disks/ckpt").doesNotContain("/shared");
    }

    @Test
    void noSlackMarkupReachesTheTerminalWhereSlackWouldHaveIt() {
        Notice.Reminder reminder = new Notice.Reminder(active(), Duration.ofMinutes(30), false);
        assertThat(ReservationViews.of(reminder).text()).as("the Slack text has the markup this view leaves out").contains("<!date^");

        assertThat(TerminalViews.reminder(reminder)).doesNotContain("<", ">", "*", "_", "|", "!date", ":alarm_clock:");
    }
}
