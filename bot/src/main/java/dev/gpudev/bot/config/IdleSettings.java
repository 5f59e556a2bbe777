package dev.gpudev.bot.config;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.helidon.config.Config;

import dev.gpudev.scheduler.idle.Exemptions;
import dev.gpudev.scheduler.idle.IdlePolicy;
import dev.gpudev.scheduler.idle.IdleRule;
import dev.gpudev.scheduler.model.ReservationId;
import dev.gpudev.scheduler.model.UserId;

/**
 * The {@code idle} and {@code telemetry} subtrees: the idle policy's numbers (per GPU type too), how often the leader
 * polls, the teams exemptions name, and where GPU telemetry comes from (docs/idle.md).
 *
 * @param source    {@code telemetry.source}: prometheus, exporters, simulated or none ({@code auto}: simulated in the
 *                  sandbox, none elsewhere); the readers' own keys are read by the wiring
 */
public record IdleSettings(IdlePolicy policy, Duration poll, Map<String, Set<UserId>> teams, Source source) {
    public enum Source {
        PROMETHEUS, EXPORTERS, SIMULATED, NONE
    }

    public IdleSettings {
        teams = Map.copyOf(teams);
        if (poll.isNegative() || poll.isZero()) {
            throw new IllegalArgumentException("idle.poll must be positive: " + poll);
        }
    }

    /** The teams of a user, by the names {@code idle.teams} gives them. */
    public Set<String> teamsOf(UserId user) {
        Set<String> of = new HashSet<>();
        teams.forEach((team, members) -> {
            if (members.contains(user)) {
                of.add(team);
            }
        });
        return of;
    }

    public static IdleSettings create(Config config, boolean sandbox) {
        Config idle = config.get("idle");
        IdleRule defaults = rule(idle, IdleRule.defaults());
        if (!idle.get("enabled").asBoolean().orElse(true)) {
            defaults = defaults.off();
        }
        Map<String, IdleRule> perType = new HashMap<>();
        for (Config t : idle.get("types").asNodeList().orElse(List.of())) {
            IdleRule r = rule(t, defaults);
            boolean on = t.get("enabled").asBoolean().orElse(defaults.enabled());
            perType.put(t.name(), on ? new IdleRule(true, r.threshold(), r.idleFor(), r.grace(), r.snooze(), r.maxGap()) : r.off());
        }
        Config ex = idle.get("exempt");
        Exemptions exempt = new Exemptions(
                new HashSet<>(BotConfig.strings(ex.get("users")).stream().map(UserId::new).toList()),
                new HashSet<>(BotConfig.strings(ex.get("teams"))),
                new HashSet<>(BotConfig.strings(ex.get("reservations")).stream().map(ReservationId::new).toList()));
        Map<String, Set<UserId>> teams = new HashMap<>();
        for (Config t : idle.get("teams").asNodeList().orElse(List.of())) {
            teams.put(t.name(), new HashSet<>(BotConfig.strings(t).stream().map(UserId::new).toList()));
        }
        Config tel = config.get("telemetry");
        String raw = tel.get("source").asString().orElse("auto").strip().toLowerCase(Locale.ROOT);
        Source source = switch (raw) {
            case "auto" -> sandbox ? Source.SIMULATED : Source.NONE;
            case "prometheus" -> Source.PROMETHEUS;
            case "exporters", "exporter" -> Source.EXPORTERS;
            case "simulated" -> Source.SIMULATED;
            case "none", "off" -> Source.NONE;
            default -> throw new IllegalArgumentException("telemetry.source must be prometheus, exporters, simulated, none or auto, not '" + raw + "'");
        };
        return new IdleSettings(new IdlePolicy(defaults, perType, exempt), idle.get("poll").as(Duration.class).orElse(Duration.ofMinutes(1)),
                teams, source);
    }

    private static IdleRule rule(Config c, IdleRule base) {
        return new IdleRule(base.enabled(), c.get("threshold").asDouble().orElse(base.threshold()),
                c.get("idle-for").as(Duration.class).orElse(base.idleFor()), c.get("grace").as(Duration.class).orElse(base.grace()),
                c.get("snooze").as(Duration.class).orElse(base.snooze()), c.get("max-gap").as(Duration.class).orElse(base.maxGap()));
    }
}
