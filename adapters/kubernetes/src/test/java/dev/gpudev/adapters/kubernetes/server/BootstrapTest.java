package dev.gpudev.adapters.kubernetes.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

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

    @Test
    void theScriptIsValidShell() throws Exception {
        Process sh = new ProcessBuilder("sh", "-n", "-c", Bootstrap.SCRIPT).redirectErrorStream(true).start();
        String out = new String(sh.getInputStream().readAllBytes());
        assertThat(sh.waitFor()).as(out).isZero();
    }
}
