package dev.gpudev.bot.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import org.junit.jupiter.api.Test;

import dev.gpudev.adapters.telemetry.TelemetrySettings;
import dev.gpudev.bot.wiring.Wiring;
import dev.gpudev.scheduler.idle.IdleRule;
import dev.gpudev.scheduler.model.UserId;

/** The idle and telemetry keys over the embedded defaults: per-type rules, teams, the source and its refusals. */
class IdleSettingsTest {
    private static Config over(Map<String, String> keys) {
        return Config.builder().disableEnvironmentVariablesSource().disableSystemPropertiesSource()
                .addSource(ConfigSources.create(keys))
                .addSource(ConfigSources.classpath(BotConfig.EMBEDDED))
                .build();
    }

    @Test
    void theDefaultsAreTheDocumentedRuleSimulatedInTheSandboxAndNoTelemetryElsewhere() {
        assertThat(IdleSettings.create(over(Map.of()), true).source()).isEqualTo(IdleSettings.Source.SIMULATED);
        IdleSettings production = IdleSettings.create(over(Map.of()), false);
        assertThat(production.source()).isEqualTo(IdleSettings.Source.NONE);
        assertThat(production.policy().rule("h100")).isEqualTo(IdleRule.defaults());
        assertThat(production.poll()).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void typesTeamsExemptionsAndPrometheusAreReadFromTheirKeys() {
        IdleSettings s = IdleSettings.create(over(Map.of("idle.types.b200.enabled", "false", "idle.types.l4.idle-for", "PT1H",
                "idle.grace", "PT10M", "idle.teams.vision", "U0ANA,U0BO", "idle.exempt.users", "U0CY",
                "telemetry.source", "prometheus", "telemetry.prometheus-url", "http://prometheus.monitoring:9090")), false);
        assertThat(s.policy().rule("b200").enabled()).isFalse();
        assertThat(s.policy().rule("l4").idleFor()).isEqualTo(Duration.ofHours(1));
        assertThat(s.policy().rule("l4").grace()).as("a type inherits what it does not set").isEqualTo(Duration.ofMinutes(10));
        assertThat(s.policy().rule("h100").grace()).isEqualTo(Duration.ofMinutes(10));
        assertThat(s.teamsOf(new UserId("U0BO"))).containsExactly("vision");
        assertThat(s.policy().exemptions().users()).containsExactly(new UserId("U0CY"));
        assertThat(s.source()).isEqualTo(IdleSettings.Source.PROMETHEUS);
        TelemetrySettings readers = Wiring.telemetrySettings(s.source(), over(Map.of("telemetry.prometheus-url",
                "http://prometheus.monitoring:9090")).get("telemetry"));
        assertThat(readers.source()).isEqualTo(TelemetrySettings.Source.PROMETHEUS);
        assertThat(readers.prometheus()).isEqualTo(URI.create("http://prometheus.monitoring:9090"));
        assertThat(readers.namespace()).isEqualTo("gpu-dev");
        assertThat(IdleSettings.create(over(Map.of("idle.enabled", "false")), false).policy().rule("h100").enabled()).isFalse();
        assertThat(s.teamsOf(new UserId("U0DAN"))).isEqualTo(Set.of());
    }

    @Test
    void aWrongSourceOrRuleRefusesTheStartNamingWhatWorks() {
        assertThatThrownBy(() -> IdleSettings.create(over(Map.of("telemetry.source", "dcgm")), false))
                .hasMessageContaining("telemetry.source must be prometheus, exporters, simulated, none or auto, not 'dcgm'");
        assertThatThrownBy(() -> Wiring.telemetrySettings(IdleSettings.Source.EXPORTERS, over(Map.of()).get("telemetry")))
                .hasMessageContaining("telemetry.exporters lists none");
        assertThatThrownBy(() -> IdleSettings.create(over(Map.of("idle.threshold", "0")), false))
                .hasMessageContaining("threshold must be above 0");
    }
}
