package dev.gpudev.adapters.kubernetes.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;

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

    /**
     * {@code /gpu edit --jupyter on|off} adds or removes the token in the Secret; the kubelet updates the projected file
     * and the sync (rounds run here in a real shell, with stubs for {@code jupyter} and {@code runuser} on PATH) starts
     * Jupyter as the user with that token, leaves it alone while the token stays, and stops its whole session when the
     * token goes. A new token restarts it with the new one.
     */
    @Test
    void theJupyterSyncStartsAndStopsJupyterAsTheTokenFileComesAndGoes(@TempDir Path dir) throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path ran = dir.resolve("jupyter-ran");
        executable(bin.resolve("jupyter"), "#!/bin/sh\necho \"$JUPYTER_TOKEN $*\" >> " + ran + "\nexec sleep 600\n");
        // the real runuser needs root: this one drops "-u USER --" and runs the rest as the test's user
        executable(bin.resolve("runuser"), "#!/bin/sh\necho \"as $2\" >> " + ran + "\nshift 3\nexec \"$@\"\n");
        Path token = dir.resolve("jupyter-token");
        Path state = dir.resolve("state");

        assertThat(syncJupyter(bin, token, state)).isEmpty();
        assertThat(ran).doesNotExist();

        Files.writeString(token, "t0k3n");
        assertThat(syncJupyter(bin, token, state)).isEqualTo("gpu-dev: jupyter started on port 8888\n");
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(ran) && Files.readString(ran).contains("lab"));
        assertThat(Files.readString(ran)).isEqualTo("as dev\nt0k3n lab --ip=127.0.0.1 --port=8888 --no-browser\n");
        long pid = Long.parseLong(Files.readString(Path.of(state + ".pid")).strip());
        ProcessHandle jupyter = ProcessHandle.of(pid).orElseThrow();
        assertThat(jupyter.info().command().orElse("")).endsWith("sleep");
        assertThat(Files.getPosixFilePermissions(Path.of(state + ".token"))).isEqualTo(PosixFilePermissions.fromString("rw-------"));

        assertThat(syncJupyter(bin, token, state)).as("the same token: nothing to do").isEmpty();
        assertThat(jupyter.isAlive()).isTrue();

        Files.writeString(token, "n3w");
        assertThat(syncJupyter(bin, token, state)).isEqualTo("gpu-dev: jupyter stopped\ngpu-dev: jupyter started on port 8888\n");
        await().atMost(Duration.ofSeconds(10)).until(() -> !jupyter.isAlive());
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.readString(ran).contains("n3w lab"));
        ProcessHandle second = ProcessHandle.of(Long.parseLong(Files.readString(Path.of(state + ".pid")).strip())).orElseThrow();

        Files.delete(token);
        assertThat(syncJupyter(bin, token, state)).isEqualTo("gpu-dev: jupyter stopped\n");
        await().atMost(Duration.ofSeconds(10)).until(() -> !second.isAlive());
        assertThat(Path.of(state + ".pid")).doesNotExist();
        assertThat(syncJupyter(bin, token, state)).isEmpty();

        assertThat(Bootstrap.SCRIPT).contains("sync_jupyter " + Bootstrap.JUPYTER_TOKEN_FILE + " " + Bootstrap.JUPYTER_STATE + " /workspace");
    }

    @Test
    void anImageWithoutJupyterSaysSoOnceAndStartsNothing(@TempDir Path dir) throws Exception {
        Path token = Files.writeString(dir.resolve("jupyter-token"), "t0k3n");
        Path state = dir.resolve("state");
        Path bin = Files.createDirectories(dir.resolve("bin"));

        assertThat(syncJupyter(bin, token, state)).isEqualTo("gpu-dev: jupyter is not installed in this image; use one that has it\n");
        assertThat(syncJupyter(bin, token, state)).isEmpty();
        assertThat(Path.of(state + ".pid")).doesNotExist();
    }

    /** One round, as the loop runs it, with only {@code bin} and the system's own tools (not a jupyter of the machine) on PATH. */
    private static String syncJupyter(Path bin, Path token, Path state) throws Exception {
        // to a file, not a pipe: the Jupyter a round starts keeps its copy of the output open
        Path out = Files.createTempFile(token.getParent(), "round", ".log");
        ProcessBuilder pb = new ProcessBuilder("sh", "-euc", Bootstrap.JUPYTER_SYNC + "sync_jupyter " + token + " " + state + " " + token.getParent())
                .redirectErrorStream(true).redirectOutput(out.toFile());
        pb.environment().put("PATH", bin + ":/usr/bin:/bin");
        pb.environment().putAll(Map.of("U", "dev", "JUPYTER_IP", "127.0.0.1", "JUPYTER_PORT", "8888"));
        int exit = pb.start().waitFor();
        assertThat(exit).as(Files.readString(out)).isZero();
        return Files.readString(out);
    }

    private static void executable(Path file, String text) throws Exception {
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
    }

    @Test
    void theScriptIsValidShell() throws Exception {
        Process sh = new ProcessBuilder("sh", "-n", "-c", Bootstrap.SCRIPT).redirectErrorStream(true).start();
        String out = new String(sh.getInputStream().readAllBytes());
        assertThat(sh.waitFor()).as(out).isZero();
    }
}
