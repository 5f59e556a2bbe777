package dev.gpudev.adapters.github.api;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Optional;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * GitHub App installation tokens: a JWT (RS256, signed with the app's key, valid 9 minutes) buys an installation token
 * that is reused until 5 minutes before it expires.
 */
public final class AppTokenSource implements TokenSource {
    private static final Duration EARLY = Duration.ofMinutes(5);
    private static final byte[] RSA_ALGORITHM_ID = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};

    private final HttpClient http;
    private final URI tokenUrl;
    private final String appId;
    private final PrivateKey key;
    private final Duration timeout;
    private final Clock clock;
    private @Nullable String token;
    private Instant expiresAt = Instant.MIN;

    public AppTokenSource(HttpClient http, URI apiUrl, String appId, String privateKeyPem, long installationId, Duration timeout, Clock clock) {
        this.http = http;
        this.tokenUrl = URI.create(apiUrl.toString().replaceAll("/+$", "") + "/app/installations/" + installationId + "/access_tokens");
        this.appId = appId;
        this.key = privateKey(privateKeyPem);
        this.timeout = timeout;
        this.clock = clock;
    }

    @Override
    public synchronized Optional<String> token() {
        if (token == null || !clock.instant().isBefore(expiresAt.minus(EARLY))) {
            refresh();
        }
        return Optional.ofNullable(token);
    }

    /** The app's JWT: {@code iat} a minute in the past against clock drift, as GitHub recommends. */
    String jwt() {
        long now = clock.instant().getEpochSecond();
        String header = b64("{\"alg\":\"RS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        String claims = b64(("{\"iat\":" + (now - 60) + ",\"exp\":" + (now + 540) + ",\"iss\":\"" + appId + "\"}").getBytes(StandardCharsets.UTF_8));
        try {
            Signature rs256 = Signature.getInstance("SHA256withRSA");
            rs256.initSign(key);
            rs256.update((header + "." + claims).getBytes(StandardCharsets.US_ASCII));
            return header + "." + claims + "." + b64(rs256.sign());
        } catch (GeneralSecurityException e) {
            throw new GithubUnavailableException("could not sign the GitHub App JWT", e);
        }
    }

    private void refresh() {
        HttpRequest req = HttpRequest.newBuilder(tokenUrl).timeout(timeout)
                .header("Accept", "application/vnd.github+json").header("User-Agent", "gpu-dev-bot")
                .header("Authorization", "Bearer " + jwt())
                .POST(HttpRequest.BodyPublishers.noBody()).build();
        HttpResponse<String> res;
        try {
            res = http.send(req, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new GithubUnavailableException("GitHub unreachable for an App token: " + e.getClass().getSimpleName(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GithubUnavailableException("interrupted", e);
        }
        if (res.statusCode() != 201) {
            throw new GithubUnavailableException("GitHub answered " + res.statusCode() + " to the App installation token request");
        }
        try {
            JsonNode json = ApiResponse.parse(res.body());
            token = json.path("token").asString("");
            expiresAt = Instant.parse(json.path("expires_at").asString(""));
        } catch (JacksonException | DateTimeParseException e) {
            token = null;
            throw new GithubUnavailableException("GitHub sent an App token answer that does not parse", e);
        }
    }

    /** Accepts PKCS#8 ({@code BEGIN PRIVATE KEY}) and the PKCS#1 ({@code BEGIN RSA PRIVATE KEY}) GitHub hands out. */
    static PrivateKey privateKey(String pem) {
        boolean pkcs1 = pem.contains("BEGIN RSA PRIVATE KEY");
        byte[] der = Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", ""));
        try {
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(pkcs1 ? pkcs8(der) : der));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("GITHUB_APP_PRIVATE_KEY is not an RSA private key in PEM", e);
        }
    }

    /** PrivateKeyInfo ::= SEQUENCE { version 0, AlgorithmIdentifier rsaEncryption, OCTET STRING pkcs1 }. */
    private static byte[] pkcs8(byte[] pkcs1) {
        ByteArrayOutputStream inner = new ByteArrayOutputStream();
        inner.writeBytes(new byte[] {0x02, 0x01, 0x00});
        inner.writeBytes(RSA_ALGORITHM_ID);
        inner.writeBytes(tlv(0x04, pkcs1));
        return tlv(0x30, inner.toByteArray());
    }

    private static byte[] tlv(int tag, byte[] value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int len = value.length;
        if (len < 0x80) {
            out.write(len);
        } else {
            int bytes = len > 0xffffff ? 4 : len > 0xffff ? 3 : len > 0xff ? 2 : 1;
            out.write(0x80 | bytes);
            for (int i = bytes - 1; i >= 0; i--) {
                out.write(len >>> (8 * i) & 0xff);
            }
        }
        out.writeBytes(value);
        return out.toByteArray();
    }

    private static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
