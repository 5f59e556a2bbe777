package dev.gpudev.adapters.github.testing;

import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;

import com.github.benmanes.caffeine.cache.Ticker;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;

import dev.gpudev.scheduler.testing.MutableClock;

/** Responses shaped as GitHub's REST API documents them, and the clients and tickers the tests share. */
public final class Github {
    public static final String ED25519 = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIN1os5etv3JgsFXBc7FLQW0cGw7UWh8WJ6UNKRZDuyeI";
    public static final String ED25519_SHA256 = "SHA256:Qp35FG1pU/ZtanXNMcXuUy97m3hBf1KQNe8ssPqfVkE";
    public static final String RSA3072 = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABgQDlaYgDH1tAamKS+GbL9MmfnVhMlXv7bjKNy/pyW1SrBU9wGr28qGGX50AIzzBW4maJtT4qipvC4AaO4U/6SVlPIHuTtctGNalq6QqIrSPMZBP0+9I2paxSoTZNulThVem6IxewMIO7W21ojoy9aqtaFvcFedfumNjDhaRvuP4x2Y9xyuJDUgXSMTesyMIr1HDjvx8tnuuvJWmGWwG1yZOEWqBJrWP7fOUTftDw7N5jxlR4k6+ILut1FIMuspugTS2p14Gtz59Muf/ZGD9rfFzxtZ6l0r7zBj8eoOkymhK8tHIILAaMlerf/8NIsXle0BVpj3TKCDacc+LYEblckllBvq5XcsSspAWdswHmucGzpSXssoXcrRdGZIFXY0+ZGjfEqlPNKyLCtM/syF3xUslZAk43DfF61WdjccCmcM3qRjBpcjQOmAZidIth7F2B+C3tF/sd+JwDemGhAv0yF0MzYyHWrsDyLaHPFmDhZfwrIQaW2T6gJyoz8dK+qq70FIs=";
    public static final String RSA3072_SHA256 = "SHA256:6jFsJkFppiRIypjgwYeJAzY8ntkfQn1wxbcVKYSC22s";
    public static final String ECDSA384 = "ecdsa-sha2-nistp384 AAAAE2VjZHNhLXNoYTItbmlzdHAzODQAAAAIbmlzdHAzODQAAABhBMwqLoPFKnHy1mdAzH3oOnBP1h+VUU5Adt87VXbgLnmluQ3zTcakefNesL6PyzuV4cNnpvwDtQeYBCqj5MQsE2G+IQfEeLlALgephGRyIzfI/PfPjV0qcPALEhz02UyNaA==";
    public static final String ECDSA384_SHA256 = "SHA256:YFB6VmIZ7cgbxcVSPYAlQKBLxqXwAs6XDUh2lrL74Bk";
    public static final String SK_ED25519 = "sk-ssh-ed25519@openssh.com AAAAGnNrLXNzaC1lZDI1NTE5QG9wZW5zc2guY29tAAAAIAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gAAAABHNzaDo=";
    public static final String SK_ED25519_SHA256 = "SHA256:nX0hpi5mKbTIJ10yBq5/sLQhiI1Y0RBAqN0drDdgJWs";

    /**
     * The tests' request timeout: none of them waits for it to run out, and on a loaded 2-core CI machine WireMock once
     * answered a call later than the 5 s they used (PolicyCheckTest: "GitHub unreachable: request timed out").
     */
    public static final Duration TIMEOUT = Duration.ofSeconds(60);

    public static final String NOT_FOUND = """
            {"message":"Not Found","documentation_url":"https://docs.github.com/rest","status":"404"}""";

    private Github() {
    }

    public static HttpClient http() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** Caffeine time that moves with the test's clock. */
    public static Ticker ticker(MutableClock clock) {
        return () -> {
            Instant now = clock.instant();
            return now.getEpochSecond() * 1_000_000_000L + now.getNano();
        };
    }

    public static ResponseDefinitionBuilder json(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json; charset=utf-8")
                .withHeader("X-RateLimit-Limit", "5000").withHeader("X-RateLimit-Remaining", "4999").withBody(body);
    }

    public static ResponseDefinitionBuilder ok(String body) {
        return json(200, body);
    }

    public static ResponseDefinitionBuilder noContent() {
        return aResponse().withStatus(204).withHeader("X-RateLimit-Remaining", "4998");
    }

    public static ResponseDefinitionBuilder notFound() {
        return json(404, NOT_FOUND);
    }

    /** {@code GET /orgs/{org}/members/{user}} when the bot's token is not an org member. */
    public static ResponseDefinitionBuilder redirectToPublicMembers(String baseUrl, String org, String user) {
        return aResponse().withStatus(302).withHeader("Location", baseUrl + "/orgs/" + org + "/public_members/" + user);
    }

    public static String teamMembership(String state) {
        return """
                {"url":"https://api.github.com/organizations/1/team/2/memberships/ana","role":"member","state":"%s"}""".formatted(state);
    }

    public static String permission(String permission, String roleName) {
        return """
                {"permission":"%s","role_name":"%s","user":{"login":"ana","id":1,"type":"User","site_admin":false,"permissions":{"admin":false,"maintain":false,"push":false,"triage":false,"pull":true}}}"""
                .formatted(permission, roleName);
    }

    /** The user object of {@code GET /user}, {@code /user/{account_id}} and {@code /users/{login}}, trimmed. */
    public static String user(String login, long id) {
        return user(login, id, Instant.parse("2015-03-04T05:06:07Z"));
    }

    public static String user(String login, long id, Instant createdAt) {
        return """
                {"login":"%s","id":%d,"node_id":"MDQ6VXNlcjE=","type":"User","site_admin":false,"name":null,"created_at":"%s","updated_at":"2026-10-01T00:00:00Z"}"""
                .formatted(login, id, createdAt);
    }

    public static String keys(String... lines) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < lines.length; i++) {
            sb.append(i == 0 ? "" : ",").append("{\"id\":").append(1000 + i).append(",\"key\":\"").append(lines[i]).append("\"}");
        }
        return sb.append("]").toString();
    }

    /** The primary limit: 403 with nothing remaining until {@code reset}. */
    public static ResponseDefinitionBuilder primaryLimit(Instant reset) {
        return aResponse().withStatus(403).withHeader("Content-Type", "application/json; charset=utf-8")
                .withHeader("X-RateLimit-Limit", "5000").withHeader("X-RateLimit-Remaining", "0")
                .withHeader("X-RateLimit-Used", "5000").withHeader("X-RateLimit-Resource", "core")
                .withHeader("X-RateLimit-Reset", Long.toString(reset.getEpochSecond()))
                .withBody("""
                        {"message":"API rate limit exceeded for user ID 1.","documentation_url":"https://docs.github.com/rest/overview/rate-limits-for-the-rest-api","status":"403"}""");
    }

    /** A secondary limit: 403 (or 429) with {@code Retry-After}. */
    public static ResponseDefinitionBuilder secondaryLimit(int status, int retryAfterSeconds) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json; charset=utf-8")
                .withHeader("X-RateLimit-Remaining", "4000").withHeader("Retry-After", Integer.toString(retryAfterSeconds))
                .withBody("""
                        {"message":"You have exceeded a secondary rate limit. Please wait a few minutes before you try again.","documentation_url":"https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits","status":"%d"}"""
                        .formatted(status));
    }
}
