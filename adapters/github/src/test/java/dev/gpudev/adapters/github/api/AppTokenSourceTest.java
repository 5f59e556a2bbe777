package dev.gpudev.adapters.github.api;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gpudev.adapters.github.testing.Github;
import dev.gpudev.scheduler.testing.MutableClock;

class AppTokenSourceTest {
    @RegisterExtension
    static WireMockExtension gh = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private static final String PATH = "/app/installations/42/access_tokens";
    private static KeyPair keys;
    private static String pkcs8Pem;
    private static String pkcs1Pem;

    private final MutableClock clock = MutableClock.at("2026-11-29T10:00:00Z");

    @BeforeAll
    static void keys() throws Exception {
        KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
        gen.initialize(2048);
        keys = gen.generateKeyPair();
        byte[] pkcs8 = keys.getPrivate().getEncoded();
        pkcs8Pem = pem("PRIVATE KEY", pkcs8);
        pkcs1Pem = pem("RSA PRIVATE KEY", lastTlvValue(pkcs8));
    }

    private static String pem(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + label + "-----\n";
    }

    /** The OCTET STRING at the end of a PKCS#8 PrivateKeyInfo is the PKCS#1 RSAPrivateKey that GitHub hands out. */
    private static byte[] lastTlvValue(byte[] pkcs8) {
        int i = 2 + (pkcs8[1] & 0x7f) * ((pkcs8[1] & 0x80) != 0 ? 1 : 0);   // skip the outer SEQUENCE header
        i += 3;                                                              // INTEGER 0
        i += 2 + pkcs8[i + 1];                                               // AlgorithmIdentifier
        int lenBytes = (pkcs8[i + 1] & 0x80) != 0 ? pkcs8[i + 1] & 0x7f : 0;
        int len = 0;
        for (int b = 0; b < lenBytes; b++) {
            len = len << 8 | pkcs8[i + 2 + b] & 0xff;
        }
        int start = i + 2 + lenBytes;
        return Arrays.copyOfRange(pkcs8, start, start + len);
    }

    private AppTokenSource source(String pem) {
        return new AppTokenSource(Github.http(), URI.create(gh.baseUrl()), "12345", pem, 42, Github.TIMEOUT, clock);
    }

    private static void answer(String token, String expiresAt) {
        gh.stubFor(post(PATH).willReturn(Github.json(201, """
                {"token":"%s","expires_at":"%s","permissions":{"members":"read","metadata":"read"},"repository_selection":"all"}"""
                .formatted(token, expiresAt))));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"pkcs1", "pkcs8"})
    void signsAVerifiableRs256Jwt(String format) throws Exception {
        String jwt = source(format.equals("pkcs1") ? pkcs1Pem : pkcs8Pem).jwt();

        String[] parts = jwt.split("\\.");
        Signature rs256 = Signature.getInstance("SHA256withRSA");
        rs256.initVerify(keys.getPublic());
        rs256.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        assertThat(rs256.verify(Base64.getUrlDecoder().decode(parts[2]))).isTrue();
        JsonNode claims = ApiResponse.parse(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
        assertThat(claims.path("iss").asString("")).isEqualTo("12345");
        assertThat(claims.path("iat").asLong()).isEqualTo(clock.instant().getEpochSecond() - 60);
        assertThat(claims.path("exp").asLong()).isEqualTo(clock.instant().getEpochSecond() + 540);
        assertThat(ApiResponse.parse(new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8)).path("alg").asString(""))
                .isEqualTo("RS256");
    }

    @Test
    void reusesTheInstallationTokenUntilShortlyBeforeItExpires() {
        answer("ghs_first", "2026-11-29T11:00:00Z");
        AppTokenSource tokens = source(pkcs1Pem);

        assertThat(tokens.token()).contains("ghs_first");
        clock.advance(Duration.ofMinutes(54).plusSeconds(59));
        assertThat(tokens.token()).contains("ghs_first");
        gh.verify(1, postRequestedFor(urlEqualTo(PATH)).withHeader("Authorization", matching("Bearer [\\w-]+\\.[\\w-]+\\.[\\w-]+")));

        answer("ghs_second", "2026-11-29T12:00:00Z");
        clock.advance(Duration.ofSeconds(1));
        assertThat(tokens.token()).contains("ghs_second");
    }

    @Test
    void aRefusedTokenRequestIsUnavailable() {
        gh.stubFor(post(PATH).willReturn(Github.json(401, "{\"message\":\"A JSON web token could not be decoded\"}")));

        assertThatThrownBy(() -> source(pkcs8Pem).token()).isInstanceOf(GithubUnavailableException.class);
    }

    @Test
    void refusesAKeyThatIsNotRsaPem() {
        assertThatThrownBy(() -> source("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("AAAA");
    }

    @Test
    void feedsGithubApiRequests() {
        answer("ghs_first", "2026-11-29T11:00:00Z");
        gh.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get("/orgs/pytorch/members/ana").willReturn(Github.noContent()));
        GithubApi api = new GithubApi(Github.http(), URI.create(gh.baseUrl()), source(pkcs1Pem), Github.TIMEOUT, clock, Github.ticker(clock));

        assertThat(api.get("/orgs/pytorch/members/ana").status()).isEqualTo(204);
        gh.verify(com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor(urlEqualTo("/orgs/pytorch/members/ana"))
                .withHeader("Authorization", com.github.tomakehurst.wiremock.client.WireMock.equalTo("Bearer ghs_first")));
        assertThat(List.of(api.rateLimitRemaining())).containsExactly(4998L);
    }
}
