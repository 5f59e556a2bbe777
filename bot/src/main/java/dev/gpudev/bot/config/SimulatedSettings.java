package dev.gpudev.bot.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.helidon.config.Config;

import dev.gpudev.scheduler.model.NodeInfo;
import dev.gpudev.scheduler.model.NodeName;

/**
 * The {@code cluster.simulated} subtree: the sandbox's cluster.
 *
 * @param readyDelay       simulated time from "starting" to "ready"
 * @param sshHostPattern   the host a ready server's SSH command names; {@code {node}} is the node's name
 * @param image            the default image
 * @param images           the other images a request may name (names and registry prefixes, as on Kubernetes)
 */
public record SimulatedSettings(Duration readyDelay, String sshHostPattern, String image, List<String> images, List<NodeInfo> nodes) {
    public SimulatedSettings {
        images = List.copyOf(images);
        nodes = List.copyOf(nodes);
    }

    public static SimulatedSettings create(Config simulated) {
        List<NodeInfo> nodes = new ArrayList<>();
        for (Config n : simulated.get("nodes").asNodeList().orElse(List.of())) {
            nodes.add(new NodeInfo(new NodeName(n.get("name").asString().get()), n.get("type").asString().get(),
                    n.get("gpus").asInt().get(), 0, true, n.get("placement-group").asString().orElse(null), null));
        }
        return new SimulatedSettings(simulated.get("ready-delay").as(Duration.class).get(), simulated.get("ssh-host-pattern").asString().get(),
                simulated.get("image").asString().get(), BotConfig.strings(simulated.get("images")), nodes);
    }
}
