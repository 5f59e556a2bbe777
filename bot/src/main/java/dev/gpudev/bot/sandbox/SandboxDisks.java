package dev.gpudev.bot.sandbox;

import java.io.PrintStream;
import java.util.Map;
import java.util.Optional;

import dev.gpudev.scheduler.model.DiskName;
import dev.gpudev.scheduler.model.GithubLogin;
import dev.gpudev.scheduler.model.UserId;
import dev.gpudev.scheduler.port.AccessDecision;
import dev.gpudev.scheduler.port.Disk;
import dev.gpudev.scheduler.port.InMemoryVolumes;
import dev.gpudev.scheduler.port.VolumeRefusal;

/**
 * The console's hands inside a server: {@code :write <disk> <path> [text]} writes a file on one of the user's disks
 * as a process in the server that mounts it would (refused when no server of theirs has it mounted), and
 * {@code :ls <disk>} lists the disk's files as the next server that mounts it sees them.
 */
final class SandboxDisks {
    private final InMemoryVolumes volumes;
    private final SandboxIdentity identity = new SandboxIdentity();
    private final PrintStream out;

    SandboxDisks(InMemoryVolumes volumes, PrintStream out) {
        this.volumes = volumes;
        this.out = out;
    }

    static boolean handles(String line) {
        return line.startsWith(":write") || line.startsWith(":ls");
    }

    void handle(String line, String user) {
        String[] w = line.split("\\s+", 4);
        try {
            if (w[0].equals(":ls") && w.length == 2) {
                list(login(user), DiskName.parse(w[1]));
            } else if (w[0].equals(":write") && w.length >= 3) {
                write(login(user), DiskName.parse(w[1]), w[2], w.length == 4 ? w[3] : "");
            } else {
                out.println("(`:write <disk> <path> [text]` writes a file on your disk from the server that mounts it; `:ls <disk>`"
                        + " lists the disk's files. <disk> is `home` or a name from `/gpu disk list`)");
            }
        } catch (IllegalArgumentException | VolumeRefusal e) {
            out.println("(" + e.getMessage() + ")");
        }
    }

    private void write(GithubLogin owner, DiskName disk, String path, String text) {
        Optional<Disk> mounted = volumes.disks(owner).stream().filter(d -> d.name().equals(disk) && d.mounted().isPresent()).findFirst();
        if (mounted.isEmpty()) {
            out.println("(no server of yours has `" + disk + "` mounted, so nothing was written: reserve with `--disk " + disk
                    + "` (the home: any server) and write once it is ready)");
            return;
        }
        String file = path.replaceFirst("^/+", "");
        volumes.write(owner, disk, file, text);
        out.println("(wrote " + mountPoint(disk) + "/" + file + " on server " + mounted.get().mountedBy() + ")");
    }

    private void list(GithubLogin owner, DiskName disk) {
        Map<String, String> files = volumes.files(owner, disk);
        out.println("(files on " + disk + ", at " + mountPoint(disk) + " in a server that mounts it" + (files.isEmpty() ? ": none)" : ":)"));
        files.forEach((path, text) -> out.println("   " + mountPoint(disk) + "/" + path + (text.isEmpty() ? "" : "  \"" + text + "\"")));
    }

    private GithubLogin login(String user) {
        return ((AccessDecision.Granted) identity.authorize(new UserId(user))).login();
    }

    private static String mountPoint(DiskName disk) {
        return disk.isHome() ? "/home/dev" : "/disks/" + disk;
    }
}
