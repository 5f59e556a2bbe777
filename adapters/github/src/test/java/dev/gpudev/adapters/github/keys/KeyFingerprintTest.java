package dev.gpudev.adapters.github.keys;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Named.named;

import dev.gpudev.adapters.github.testing.Github;
import dev.gpudev.scheduler.model.SshPublicKey;

/** Expected values are what {@code ssh-keygen -l -f key.pub} (OpenSSH 9) printed for the same keys. */
class KeyFingerprintTest {
    static List<Arguments> keys() {
        return List.of(
                Arguments.of(named("ed25519", Github.ED25519 + " ana@laptop"), "256 " + Github.ED25519_SHA256 + " ana@laptop (ED25519)"),
                Arguments.of(named("rsa 3072", Github.RSA3072 + " rsa"), "3072 " + Github.RSA3072_SHA256 + " rsa (RSA)"),
                Arguments.of(named("ecdsa p384", Github.ECDSA384 + " ec"), "384 " + Github.ECDSA384_SHA256 + " ec (ECDSA)"),
                Arguments.of(named("security key ed25519-sk", Github.SK_ED25519 + " yubi"), "256 " + Github.SK_ED25519_SHA256 + " yubi (ED25519-SK)"),
                Arguments.of(named("no comment", Github.ED25519), "256 " + Github.ED25519_SHA256 + " (ED25519)"));
    }

    @ParameterizedTest
    @MethodSource("keys")
    void matchesSshKeygen(String line, String expected) {
        assertThat(KeyFingerprint.of(SshPublicKey.parse(line))).hasToString(expected);
    }
}
