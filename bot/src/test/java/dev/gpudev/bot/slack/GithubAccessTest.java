package dev.gpudev.bot.slack;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.gpudev.scheduler.model.ReservationState;

/** The bot wired to the GitHub adapter (GitHub served by WireMock): access is checked before anything is stored. */
class GithubAccessTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private final WireMockServer github = new WireMockServer(options().dynamicPort());
    private SlackHarness h;

    @BeforeEach
    void start() throws Exception {
        github.start();
        github.stubFor(get(urlPathEqualTo("/orgs/acme/members/octocat")).willReturn(aResponse().withStatus(204)));
        github.stubFor(get(urlPathEqualTo("/orgs/acme/members/mallory")).willReturn(aResponse().withStatus(404)
                .withBody("{\"message\":\"Not Found\"}")));
        account("octocat", 583231);
        account("mallory", 9001);
        github.stubFor(get(urlPathEqualTo("/users/nobody")).willReturn(aResponse().withStatus(404).withBody("{\"message\":\"Not Found\"}")));
        github.stubFor(get(urlPathEqualTo("/users/octocat/keys")).willReturn(okJson("""
                [{"id":1,"key":"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl"}]""")));
        h = new SlackHarness(Map.of(
                "identity.kind", "github",
                "github.enabled", "true",
                "github.api-url", github.baseUrl(),
                "github.policy.orgs", "acme",
                "slack.admins", "U0ADMIN"));
    }

    @AfterEach
    void stop() {
        h.close();
        github.stop();
    }

    /** GitHub knows the account by login ({@code /users/{login}}) and by id ({@code /user/{id}}). */
    private void account(String login, long id) {
        String user = """
                {"login":"%s","id":%d,"type":"User","created_at":"2011-01-25T18:44:36Z"}""".formatted(login, id);
        github.stubFor(get(urlPathEqualTo("/users/" + login)).willReturn(okJson(user)));
        github.stubFor(get(urlPathEqualTo("/user/" + id)).willReturn(okJson(user)));
    }

    @Test
    void anUnlinkedUserIsToldHowToLinkAndNothingIsStored() throws Exception {
        h.command("reserve h100 1 1h", "U0ANA");
        await().atMost(WAIT).untilAsserted(() -> assertThat(h.responses("U0ANA")).anyMatch(b -> b.contains("/gpu link") || b.contains("admin")));
        assertThat(h.bot.service().state().live()).isEmpty();
    }

    @Test
    void anAdminLinkedMemberReservesAndANonMemberIsRefused() throws Exception {
        h.command("admin link <@U0ANA|ana> octocat", "U0ADMIN");
        h.command("admin link <@U0MAL|mal> mallory", "U0ADMIN");
        await().atMost(WAIT).untilAsserted(() -> assertThat(h.responses("U0ADMIN")).hasSize(2));

        h.command("reserve h100 1 1h", "U0ANA");
        await().atMost(WAIT).until(() -> h.bot.service().state().live().values().stream()
                .anyMatch(r -> r.state() == ReservationState.ACTIVE));

        h.command("reserve h100 1 1h", "U0MAL");
        await().atMost(WAIT).untilAsserted(() -> assertThat(h.responses("U0MAL")).anyMatch(b -> b.contains("acme")));
        assertThat(h.bot.service().state().live()).hasSize(1);

        h.command("whoami", "U0ANA");
        await().atMost(WAIT).untilAsserted(() -> assertThat(h.responses("U0ANA"))
                .anyMatch(b -> b.contains("octocat (id 583231") && b.contains("SHA256:")));
    }

    @Test
    void anAdminLinkOfALoginGithubDoesNotKnowIsRefusedAndStoresNothing() throws Exception {
        h.command("admin link <@U0NOB|nob> nobody", "U0ADMIN");
        await().atMost(WAIT).untilAsserted(() -> assertThat(h.responses("U0ADMIN")).anyMatch(b -> b.contains("GitHub has no user nobody")));
        h.command("whoami", "U0NOB");
        await().atMost(WAIT).untilAsserted(() -> assertThat(h.responses("U0NOB")).anyMatch(b -> b.contains("Not linked to GitHub")));
    }
}
