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

import dev.gpudev.scheduler.model.GithubLogin;
import dev.gpudev.scheduler.model.ReservationState;

/** {@code /gpu edit --add-user / --remove-user} with the GitHub adapter (GitHub served by WireMock) and the sandbox's cluster. */
class EditCollaboratorsTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private final WireMockServer github = new WireMockServer(options().dynamicPort());
    private SlackHarness h;

    @BeforeEach
    void start() throws Exception {
        github.start();
        member("octocat", 583231, "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl");
        member("hubot", 583232, "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB7b6v0Xb2nq0Lr0Ssl9yZ5b1Qm0Yq2j2t7cZb5f1mQx");
        github.stubFor(get(urlPathEqualTo("/orgs/acme/members/mallory")).willReturn(aResponse().withStatus(404)
                .withBody("{\"message\":\"Not Found\"}")));
        account("mallory", 9001);
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

    private void member(String login, long id, String key) {
        github.stubFor(get(urlPathEqualTo("/orgs/acme/members/" + login)).willReturn(aResponse().withStatus(204)));
        account(login, id);
        github.stubFor(get(urlPathEqualTo("/users/" + login + "/keys")).willReturn(okJson("[{\"id\":1,\"key\":\"" + key + "\"}]")));
    }

    private void account(String login, long id) {
        String user = """
                {"login":"%s","id":%d,"type":"User","created_at":"2011-01-25T18:44:36Z"}""".formatted(login, id);
        github.stubFor(get(urlPathEqualTo("/users/" + login)).willReturn(okJson(user)));
        github.stubFor(get(urlPathEqualTo("/user/" + id)).willReturn(okJson(user)));
    }

    private String answer(String command, String user) throws Exception {
        int before = h.responses(user).size();
        h.command(command, user);
        await().atMost(WAIT).until(() -> h.responses(user).size() > before);
        return h.responses(user).getLast();
    }

    @Test
    void theOwnerAddsAndRemovesAllowedCollaboratorsWhoseKeysReachTheRunningServer() throws Exception {
        answer("admin link <@U0ANA|ana> octocat", "U0ADMIN");
        h.command("reserve h100 1 1h --name exp", "U0ANA");
        await().atMost(WAIT).until(() -> !h.bot.service().state().live().isEmpty() && h.only().state() == ReservationState.ACTIVE);
        String id = h.only().id().value();

        assertThat(answer("edit exp --add-user mallory", "U0ANA")).contains("Cannot add mallory").contains("acme");
        assertThat(h.only().options().collaborators()).isEmpty();

        assertThat(answer("edit " + id + " --add-user hubot", "U0BO")).doesNotContain("Added");
        assertThat(h.only().options().collaborators()).isEmpty();

        assertThat(answer("edit exp --add-user hubot", "U0ANA")).contains("Added hubot").contains("no restart");
        assertThat(h.only().options().collaborators()).containsExactly(new GithubLogin("hubot"));
        assertThat(answer("logs exp", "U0ANA")).contains("authorized_keys updated (2 keys)");

        assertThat(answer("edit exp --remove-user hubot", "U0ANA")).contains("Removed hubot");
        assertThat(h.only().options().collaborators()).isEmpty();
        assertThat(answer("logs exp", "U0ANA")).contains("authorized_keys updated (1 key)");

        assertThat(answer("edit exp --remove-user hubot", "U0ANA")).contains("hubot is not a collaborator");
        assertThat(answer("edit exp --jupyter on --add-user hubot", "U0ANA")).contains("Added hubot").contains("Jupyter is on in " + id);
    }
}
