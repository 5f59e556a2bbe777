package dev.gpudev.adapters.github;

import java.net.URI;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.gpudev.adapters.github.policy.AccessPolicy;

class GithubSettingsTest {
    private final GithubSettings defaults = GithubSettings.defaults(AccessPolicy.anyone());

    @Test
    void defaultsAreGithubDotCom() {
        assertThat(defaults.apiUrl()).isEqualTo(URI.create("https://api.github.com"));
        assertThat(defaults.oauthUrl()).isEqualTo(URI.create("https://github.com"));
        assertThat(defaults.deniedTtl()).isLessThan(defaults.allowedTtl());
        assertThat(defaults.deviceFlowEnabled()).isFalse();
    }

    @Test
    void neverPrintsSecrets() {
        GithubSettings s = defaults.withToken("ghp_secret123");
        GithubApp app = new GithubApp("12345", "-----BEGIN RSA PRIVATE KEY-----\nMIIsecret\n-----END RSA PRIVATE KEY-----", 99);

        assertThat(s.toString()).doesNotContain("ghp_secret123").contains("token=***");
        assertThat(app.toString()).doesNotContain("MIIsecret");
    }

    @Test
    void refusesContradictions() {
        GithubApp app = new GithubApp("12345", "pem", 99);
        assertThatIllegalArgumentException().isThrownBy(() -> new GithubSettings(defaults.apiUrl(), defaults.oauthUrl(), "ghp_x", "", app,
                defaults.policy(), defaults.allowedTtl(), defaults.deniedTtl(), defaults.keysTtl(), defaults.requestTimeout(), 10));
        assertThatIllegalArgumentException().isThrownBy(() -> new GithubApp("12345", "", 0)).withMessageContaining("installation-id");
        assertThatIllegalArgumentException().isThrownBy(() -> new GithubSettings(defaults.apiUrl(), defaults.oauthUrl(), "", "", GithubApp.NONE,
                defaults.policy(), Duration.ofMinutes(1), Duration.ofMinutes(5), defaults.keysTtl(), defaults.requestTimeout(), 10));
        assertThatIllegalArgumentException().isThrownBy(() -> defaults.withUrls(URI.create("ftp://x"), defaults.oauthUrl()));
    }
}
