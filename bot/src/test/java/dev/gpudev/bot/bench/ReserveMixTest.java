package dev.gpudev.bot.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.time.Clock;

import io.helidon.common.media.type.MediaTypes;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import org.junit.jupiter.api.Test;

import dev.gpudev.bot.config.BotConfig;
import dev.gpudev.bot.sandbox.SandboxIdentity;
import dev.gpudev.scheduler.app.ReserveOutcome;
import dev.gpudev.scheduler.command.Command;
import dev.gpudev.scheduler.command.CommandParser;
import dev.gpudev.scheduler.engine.Engine;
import dev.gpudev.scheduler.model.ClusterSnapshot;
import dev.gpudev.scheduler.model.GpuCatalog;
import dev.gpudev.scheduler.model.ReservationState;
import dev.gpudev.scheduler.model.UserId;
import dev.gpudev.scheduler.policy.Limits;
import dev.gpudev.scheduler.policy.RequestValidator;
import dev.gpudev.scheduler.port.InMemoryReservationStore;
import dev.gpudev.scheduler.service.ReservationService;
import dev.gpudev.scheduler.testing.FakeCluster;
import dev.gpudev.scheduler.testing.RecordingNotifier;

/** The benchmark measures what it claims only if every request is valid and starts at once instead of queueing. */
class ReserveMixTest {
    private static final int REQUESTS = 800;
    private final ReserveMix mix = new ReserveMix(100);

    @Test
    void everyRequestIsAcceptedByTheRealServiceAndStartsOnTheConfiguredCluster() {
        Config config = Config.builder().disableEnvironmentVariablesSource().disableSystemPropertiesSource()
                .addSource(ConfigSources.create(mix.configYaml(REQUESTS), MediaTypes.APPLICATION_YAML))
                .addSource(ConfigSources.classpath("application.yaml"))
                .build();
        GpuCatalog catalog = BotConfig.catalog(config);
        Limits limits = BotConfig.limits(config);
        FakeCluster cluster = new FakeCluster(new ClusterSnapshot(BotConfig.simulatedNodes(config)));
        ReservationService service = new ReservationService(new Engine(catalog, limits), new RequestValidator(catalog, limits),
                new InMemoryReservationStore(), cluster, new SandboxIdentity(), new RecordingNotifier(), Clock.systemUTC(), new SecureRandom());
        service.start();

        for (int i = 0; i < REQUESTS; i++) {
            Command.Reserve cmd = (Command.Reserve) CommandParser.parse(mix.text(i));
            assertThat(service.reserve(new UserId(mix.user(i)), cmd, "k" + i)).as(mix.text(i)).isInstanceOf(ReserveOutcome.Accepted.class);
        }

        assertThat(service.state().live()).hasSize(REQUESTS);
        assertThat(service.state().live().values()).allSatisfy(r -> assertThat(r.state()).isEqualTo(ReservationState.PROVISIONING));
        assertThat(service.state().live().values().stream().map(r -> r.owner()).distinct()).hasSize(100);
        assertThat(service.state().live().values().stream().map(r -> r.gpuType()).distinct()).hasSize(4);
    }
}
