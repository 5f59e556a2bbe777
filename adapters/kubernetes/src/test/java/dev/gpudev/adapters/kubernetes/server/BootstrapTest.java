package dev.gpudev.adapters.kubernetes.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BootstrapTest {
    /**
     * A persistent home is the user's between reservations: a root copy or chmod into it follows whatever symlink they
     * left there ({@code ~/.ssh/authorized_keys -> /etc/ld.so.preload}) and makes them root. Found in review.
     */
    @Test
    void rootTouchesNothingInsideTheHomeAndSshdReadsTheKeysFromARootOwnedFile() {
        List<String> commands = Bootstrap.SCRIPT.lines().map(String::strip).filter(l -> !l.startsWith("#")).toList();

        assertThat(commands).noneMatch(l -> l.contains("$H/"));
        assertThat(commands).anyMatch(l -> l.equals("chown \"$U\" \"$H\" /workspace"));
        assertThat(Bootstrap.SCRIPT).contains("-o AuthorizedKeysFile=" + Bootstrap.AUTHORIZED_KEYS)
                .contains("install -m 644 " + Bootstrap.KEYS_DIR + "/authorized_keys " + Bootstrap.AUTHORIZED_KEYS);
        assertThat(Bootstrap.AUTHORIZED_KEYS).startsWith("/etc/ssh/");
    }

    /**
     * {@code /gpu edit} changes the Secret; the kubelet updates the mounted copy and one round of the key sync (run here
     * in a real shell on files) puts it where sshd reads it, and says so in the server's log; an unchanged file is left alone.
     */
    @Test
    void theKeySyncCopiesChangedKeysForSshdAndLogsIt(@TempDir Path dir) throws Exception {
        Path mounted = Files.writeString(dir.resolve("mounted"), "ssh-ed25519 AAAA ana\nssh-ed25519 BBBB bo\n");
        Path sshd = Files.writeString(dir.resolve("sshd"), "ssh-ed25519 AAAA ana\n");

        assertThat(syncOnce(mounted, sshd)).isEqualTo("gpu-dev: authorized_keys updated (2 keys)\n");
        assertThat(Files.readString(sshd)).isEqualTo(Files.readString(mounted));
        assertThat(Files.getPosixFilePermissions(sshd)).isEqualTo(PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(syncOnce(mounted, sshd)).isEmpty();
        assertThat(Bootstrap.SCRIPT).contains("sync_keys " + Bootstrap.KEYS_DIR + "/authorized_keys " + Bootstrap.AUTHORIZED_KEYS);
    }

    private static String syncOnce(Path from, Path to) throws Exception {
        Process sh = new ProcessBuilder("sh", "-euc", Bootstrap.KEY_SYNC + "sync_keys " + from + " " + to).redirectErrorStream(true).start();
        String out = new String(sh.getInputStream().readAllBytes());
        assertThat(sh.waitFor()).as(out).isZero();
        return out;
    }

    @Test
    void theScriptIsValidShell() throws Exception {
        Process sh = new ProcessBuilder("sh", "-n", "-c", Bootstrap.SCRIPT).redirectErrorStream(true).start();
        String out = new String(sh.getInputStream().readAllBytes());
        assertThat(sh.waitFor()).as(out).isZero();
    }
}
