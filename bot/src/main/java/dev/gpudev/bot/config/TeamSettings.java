package dev.gpudev.bot.config;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import io.helidon.config.Config;

import dev.gpudev.scheduler.model.UserId;

/** The {@code teams} subtree: team name to its members' chat user ids, for {@code /gpu usage team:NAME}. */
public final class TeamSettings {
    private TeamSettings() {
    }

    public static Map<String, Set<UserId>> of(Config teams) {
        Map<String, Set<UserId>> out = new TreeMap<>();
        for (Config team : teams.asNodeList().orElse(List.of())) {
            String name = team.name();
            if (!name.matches("[A-Za-z0-9._-]{1,64}")) {
                throw new IllegalArgumentException("teams." + name + ": a team name is letters, digits, . _ - (at most 64), as `/gpu usage team:NAME` takes it");
            }
            out.put(name, team.asList(String.class).get().stream().map(UserId::new).collect(Collectors.toUnmodifiableSet()));
        }
        return Map.copyOf(out);
    }
}
