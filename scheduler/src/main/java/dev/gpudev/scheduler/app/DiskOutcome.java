package dev.gpudev.scheduler.app;

import java.util.List;
import java.util.Map;

import dev.gpudev.scheduler.model.DiskName;
import dev.gpudev.scheduler.model.GithubLogin;
import dev.gpudev.scheduler.port.Disk;
import dev.gpudev.scheduler.port.DiskSnapshot;

/** What a {@code /gpu disk} command came to; the views render it. */
public sealed interface DiskOutcome {
    /** The owner's disks (home first) and each one's snapshots, newest first. */
    record Listed(GithubLogin owner, List<Disk> disks, Map<DiskName, List<DiskSnapshot>> snapshots) implements DiskOutcome {
        public Listed {
            disks = List.copyOf(disks);
            snapshots = Map.copyOf(snapshots);
        }
    }

    record Snapshots(DiskName disk, List<DiskSnapshot> snapshots) implements DiskOutcome {
        public Snapshots {
            snapshots = List.copyOf(snapshots);
        }
    }

    /** Delete asked without the confirmation: nothing deleted yet; the question names what goes and what stays. */
    record ConfirmDelete(GithubLogin owner, Disk disk, int snapshots) implements DiskOutcome {
    }

    record Changed(String message) implements DiskOutcome {
    }

    /** Nothing changed: why, and what would work. */
    record Refused(String reason) implements DiskOutcome {
    }
}
