package dev.gpudev.bot.conversation;

import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

import dev.gpudev.scheduler.model.DiskName;
import dev.gpudev.scheduler.model.Reservation;

/**
 * What of a server outlives its end, as this bot's cluster is set up; the last reminder and the release question say it.
 *
 * @param home   where the persistent home is mounted ({@code /home/dev}); null: no homes on this cluster
 * @param shared the shared file systems every server mounts ({@code /shared}); empty: none
 */
public record Survival(@Nullable String home, List<String> shared) {
    /** The Kubernetes adapter's defaults: homes on ({@code home-storage-class: gpu-dev-home}), no {@code efs-claim}. */
    public static final Survival DEFAULTS = new Survival("/home/dev", List.of());

    public Survival {
        shared = List.copyOf(shared);
    }

    /** Kept and deleted, in one sentence each, for the reservation's server (its {@code --disk} included). */
    public String text(Reservation r) {
        List<String> kept = new ArrayList<>();
        DiskName disk = r.options().disk();
        if (home != null) {
            kept.add("your home `" + home + "`" + (disk == null ? " (snapshotted)" : ""));
        }
        if (disk != null) {
            kept.add("your disk `" + disk + "` at `/disks/" + disk + "`" + (home != null ? " (both snapshotted)" : " (snapshotted)"));
        }
        shared.forEach(s -> kept.add("`" + s + "`"));
        return (kept.isEmpty() ? "Nothing on this server is kept." : "Kept: " + String.join(", ", kept) + ".")
                + " Deleted: everything else on the server (`/workspace`, `/tmp`, whatever was installed outside "
                + (kept.isEmpty() ? "it" : "those") + ") — copy what you need now.";
    }

    /** The same without chat markup, for a terminal. */
    public String plain(Reservation r) {
        return text(r).replace("`", "");
    }
}
