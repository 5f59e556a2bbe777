package dev.gpudev.adapters.github.keys;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.gpudev.scheduler.model.GithubLogin;
import dev.gpudev.scheduler.model.SshPublicKey;

/**
 * Key lines as GitHub returns them ({@code GET /users/{login}/keys}, one {@code key} per line of the input): a line is
 * kept only if the bot can use it (its fingerprint for {@code /gpu whoami}, its authorized_keys line for sshd), else
 * dropped with a warning; never an exception.
 */
class PublicKeysFuzzTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final GithubLogin LOGIN = new GithubLogin("ana");
    /** Quiet: a fuzzing run drops millions of keys, each with a warning (held here so the setting stays). */
    private static final Logger QUIET = quiet();

    @FuzzTest(maxDuration = "2m")
    void keptKeysAreUsableAndTheRestAreDropped(FuzzedDataProvider data) {
        List<JsonNode> items = new ArrayList<>();
        for (String line : new String(data.consumeRemainingAsBytes(), StandardCharsets.UTF_8).split("\n", -1)) {
            items.add(JSON.createObjectNode().put("id", items.size()).put("key", line));
        }
        for (SshPublicKey key : PublicKeys.parse(LOGIN, items)) {
            KeyFingerprint fingerprint = KeyFingerprint.of(key);
            assertThat(fingerprint.bits()).isPositive();
            assertThat(fingerprint.toString()).startsWith(fingerprint.bits() + " SHA256:").endsWith("(" + fingerprint.kind() + ")");
            assertThat(SshPublicKey.parse(key.line())).isEqualTo(key);
            assertThat(key.comment()).isEqualTo("ana@github");
        }
    }

    private static Logger quiet() {
        Logger logger = Logger.getLogger(PublicKeys.class.getName());
        logger.setLevel(Level.OFF);
        return logger;
    }
}
