package dev.gpudev.bot.slack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.model.ReservationState;

/**
 * {@code /gpu disk} and {@code --disk} through the real signed route of a bot on the simulated cluster and its simulated
 * disks: one server at a time, the refusal naming the server that has the disk, a snapshot at the end, delete only on
 * the owner's yes, and the last reminder saying what is kept.
 */
class SlackDisksTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private static void answered(SlackHarness h, String user, String... parts) {
        await().atMost(WAIT).untilAsserted(() -> assertThat(h.responses(user)).anyMatch(b -> {
            for (String p : parts) {
                if (!b.contains(p)) {
                    return false;
                }
            }
            return true;
        }));
    }

    private static Reservation active(SlackHarness h) {
        await().atMost(WAIT).until(() -> h.bot.service().state().live().size() == 1 && h.only().state() == ReservationState.ACTIVE);
        return h.only();
    }

    @Test
    void aDiskIsMountedByOneServerAtATimeOutlivesItAndGoesOnlyOnItsOwnersYes() throws Exception {
        try (SlackHarness h = new SlackHarness(Map.of())) {
            h.command("disk create data 50", "U0ANA");
            answered(h, "U0ANA", "Created disk `data` (50 GiB)");

            h.command("reserve h100 1 1h --disk data", "U0ANA");
            Reservation first = active(h);
            assertThat(first.options().disk()).hasToString("data");
            // the ready message edits the "starting" DM, or is the first DM when it overtook that one (under load)
            await().atMost(WAIT).untilAsserted(() -> assertThat(Stream.concat(h.sent("chat.update").stream(), h.sent("chat.postMessage").stream()))
                    .anyMatch(b -> b.contains("is ready") && b.contains("Your disk `data` is at `/disks/data`.")));
            assertThat(SlackHarness.text(h.command("show " + first.id(), "U0ANA").body())).contains("Disk: `data` at `/disks/data`");

            h.command("reserve h100 1 1h --disk data", "U0ANA");
            answered(h, "U0ANA", "Not reserved: disk data is mounted by server " + first.id());
            assertThat(h.bot.service().state().live()).hasSize(1);

            assertThat(h.command("disk delete data", "U0ANA").statusCode()).isEqualTo(200);
            answered(h, "U0ANA", "is mounted by server " + first.id());

            h.press("cancel_confirmed", first.id().value(), "U0ANA");
            await().atMost(WAIT).until(() -> h.bot.service().state().live().isEmpty());
            h.command("disk list", "U0ANA");
            answered(h, "U0ANA", "`data`", "not mounted", "newest `end-" + first.id() + "`");

            h.command("disk delete data", "U0ANA");
            answered(h, "U0ANA", "Delete disk `data` (50 GiB)?", "disk_delete", "u0ana|data");
            // Bo presses (or forges) the button of Ana's question: nothing is deleted
            h.press("disk_delete", "u0ana|data", "U0BO");
            answered(h, "U0BO", "disk; nothing was deleted");
            h.command("disk list", "U0ANA");
            await().atMost(WAIT).untilAsserted(() -> assertThat(h.responses("U0ANA").getLast()).contains("`data`"));

            h.press("disk_delete", "u0ana|data", "U0ANA");
            answered(h, "U0ANA", "Deleted disk `data`. Its snapshots stay");
            h.command("disk snapshots data", "U0ANA");
            answered(h, "U0ANA", "Snapshots of `data`", "end-" + first.id());
        }
    }

    @Test
    void theLastReminderSaysWhatIsKeptAndWhatIsDeleted() throws Exception {
        try (SlackHarness h = new SlackHarness(Map.of())) {
            h.command("disk create data 50", "U0ANA");
            answered(h, "U0ANA", "Created disk");
            h.command("reserve h100 1 1h --disk data", "U0ANA");
            active(h);

            h.clock.advance(Duration.ofMinutes(56));

            await().atMost(WAIT).untilAsserted(() -> assertThat(h.sent("chat.postMessage")).anyMatch(b -> b.contains("ends in")
                    && b.contains("Kept: your home `/home/dev`, your disk `data` at `/disks/data` (both snapshotted)")
                    && b.contains("Deleted: everything else on the server")));
        }
    }

    @Test
    void aDiskThatDoesNotExistIsRefusedAndNothingIsReserved() throws Exception {
        try (SlackHarness h = new SlackHarness(Map.of())) {
            h.command("reserve h100 1 1h --disk nope", "U0ANA");
            answered(h, "U0ANA", "you have no disk named nope", "/gpu disk create nope");
            assertThat(h.bot.service().state().live()).isEmpty();
            assertThat(SlackHarness.text(h.command("reserve h100 1 1h --disk Bad_Name", "U0ANA").body()))
                    .contains("is not a disk name");
        }
    }
}
