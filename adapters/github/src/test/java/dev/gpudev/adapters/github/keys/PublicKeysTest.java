package dev.gpudev.adapters.github.keys;

import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gpudev.adapters.github.testing.Github;
import dev.gpudev.scheduler.model.GithubLogin;
import dev.gpudev.scheduler.model.SshPublicKey;

class PublicKeysTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void keepsEveryTypeAndLabelsKeysWithTheLogin() {
        var items = JSON.readTree(Github.keys(Github.ED25519, Github.RSA3072, Github.ECDSA384, Github.SK_ED25519)).values().stream().toList();

        List<SshPublicKey> keys = PublicKeys.parse(new GithubLogin("Ana"), items);

        assertThat(keys).extracting(SshPublicKey::type)
                .containsExactly("ssh-ed25519", "ssh-rsa", "ecdsa-sha2-nistp384", "sk-ssh-ed25519@openssh.com");
        assertThat(keys).extracting(SshPublicKey::comment).containsOnly("Ana@github");
    }

    @Test
    void dropsLinesThatAreNotKeysOrLieAboutTheirType() {
        String lying = "ssh-rsa " + Github.ED25519.split(" ")[1];
        var items = JSON.readTree(Github.keys("x509v3-sign-rsa AAAAB3Nz", "ssh-ed25519 !!!", lying, Github.ED25519)).values().stream().toList();

        assertThat(PublicKeys.parse(new GithubLogin("ana"), items)).extracting(SshPublicKey::type).containsExactly("ssh-ed25519");
    }

    /** Found by PublicKeysFuzzTest: these passed, and then {@code /gpu whoami} failed on their fingerprint. */
    @Test
    void dropsKeysWhoseBlobIsMalformed() {
        String rsaWithoutModulus = "ssh-rsa AAAAB3NzaC1yc2E=";
        String ed25519WithTrailingBytes = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBanVuaw==";
        var items = JSON.readTree(Github.keys(rsaWithoutModulus, ed25519WithTrailingBytes, Github.ED25519)).values().stream().toList();

        List<SshPublicKey> keys = PublicKeys.parse(new GithubLogin("ana"), items);

        assertThat(keys).extracting(SshPublicKey::line).containsExactly(Github.ED25519 + " ana@github");
        assertThat(keys).map(KeyFingerprint::of).extracting(KeyFingerprint::bits).containsExactly(256);
    }
}
