package dev.gpudev.scheduler.policy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import dev.gpudev.scheduler.command.Command;
import dev.gpudev.scheduler.command.Durations;
import dev.gpudev.scheduler.model.ClusterSnapshot;
import dev.gpudev.scheduler.model.DiskName;
import dev.gpudev.scheduler.model.GithubLogin;
import dev.gpudev.scheduler.model.GpuCatalog;
import dev.gpudev.scheduler.model.GpuType;
import dev.gpudev.scheduler.model.NodeInfo;
import dev.gpudev.scheduler.model.RequestOptions;
import dev.gpudev.scheduler.model.ReservationRequest;
import dev.gpudev.scheduler.model.UserId;

/**
 * Turns a complete reserve command into a request, or into a specific, helpful refusal.
 *
 * @param jupyter whether the cluster can start Jupyter; without it a request for Jupyter is refused, not started without
 * @param images  the images a request may name; a request names the normalised image it will run
 */
public record RequestValidator(GpuCatalog catalog, Limits limits, boolean jupyter, ImagePolicy images) {
    public RequestValidator(GpuCatalog catalog, Limits limits) {
        this(catalog, limits, true);
    }

    public RequestValidator(GpuCatalog catalog, Limits limits, boolean jupyter) {
        this(catalog, limits, jupyter, ImagePolicy.DEFAULT_ONLY);
    }

    /** @param heldGpus GPUs the user holds or has queued now, over all types */
    public Validation validate(UserId owner, Command.Reserve cmd, ClusterSnapshot cluster, int heldGpus) {
        if (!cmd.complete()) {
            return invalid("A reservation needs a GPU type, a count and a duration, e.g. `/gpu reserve h100 4 2h`.");
        }
        var found = catalog.find(cmd.gpuType());
        if (found.isEmpty()) {
            String hint = catalog.closest(cmd.gpuType()).map(c -> " Did you mean `" + c + "`?").orElse("");
            return invalid("There is no GPU type `" + cmd.gpuType() + "`." + hint + " Types: " + String.join(", ", catalog.names()) + ".");
        }
        GpuType type = found.get();
        List<NodeInfo> nodes = cluster.nodesOf(type.name());
        int maxNodes = Math.max(1, Math.min(limits.maxNodesPerRequest(), nodes.size()));
        List<Integer> counts = type.validCounts(maxNodes);
        int gpus = cmd.gpus();
        if (!counts.contains(gpus)) {
            int most = counts.stream().mapToInt(Integer::intValue).max().orElse(type.gpusPerNode());
            String why = gpus > most ? gpus + " is too many GPUs; at most " + most + " " + type.name() + " GPUs in one request."
                    : gpus > type.gpusPerNode() && gpus % type.gpusPerNode() != 0
                    ? gpus + " GPUs is more than one " + type.name() + " node holds (" + type.gpusPerNode() + ") and not a multiple of whole nodes."
                    : gpus + " is not a GPU count for " + type.name() + ".";
            return invalid(why + " Choose one of " + counts.stream().map(String::valueOf).collect(Collectors.joining(", ")) + ".");
        }
        Duration d = cmd.duration();
        if (d.compareTo(limits.minDuration()) < 0 || d.compareTo(limits.maxDuration()) > 0) {
            return invalid("A reservation lasts from " + Durations.format(limits.minDuration()) + " to "
                    + Durations.format(limits.maxDuration()) + "; `" + Durations.format(d) + "` is outside. You can extend it later.");
        }
        if (nodes.isEmpty()) {
            return invalid("This cluster has no " + type.name() + " nodes, so the request would wait forever. Types with nodes: "
                    + cluster.nodes().stream().map(NodeInfo::gpuType).distinct().sorted().collect(Collectors.joining(", ")) + ".");
        }
        int largestNode = nodes.stream().mapToInt(NodeInfo::capacity).max().orElse(0);
        if (type.nodesFor(gpus) == 1 && gpus > largestNode) {
            return invalid("The largest " + type.name() + " node has " + largestNode + " GPUs; ask for at most that.");
        }
        if (heldGpus + gpus > limits.maxGpusPerUser()) {
            return invalid("You hold or queue " + heldGpus + " GPUs; with " + gpus + " more you would pass the limit of "
                    + limits.maxGpusPerUser() + " per person. Cancel or wait for one to end.");
        }
        if (cmd.jupyter() && !jupyter) {
            return invalid("Jupyter is not enabled on this cluster; reserve without `--jupyter`.");
        }
        String image = cmd.image() == null ? null : images.admit(cmd.image()).orElse(null);
        if (cmd.image() != null && image == null) {
            return invalid(images.refusal(cmd.image()));
        }
        List<GithubLogin> users = new ArrayList<>();
        for (String u : cmd.addUsers()) {
            if (!GithubLogin.isValid(u)) {
                return invalid("`" + u + "` is not a GitHub login (letters, digits and single hyphens).");
            }
            users.add(new GithubLogin(u));
        }
        DiskName disk;
        try {
            disk = cmd.disk() == null ? null : DiskName.parse(cmd.disk());
        } catch (IllegalArgumentException e) {
            return invalid("`--disk`: " + e.getMessage() + ".");
        }
        if (disk != null && disk.isHome()) {
            return invalid("Your home is mounted on every server; `--disk` names one of your other disks (`/gpu disk list`).");
        }
        return new Validation.Valid(new ReservationRequest(owner, type.name(), gpus, d,
                new RequestOptions(cmd.jupyter(), users, cmd.name(), image, disk)));
    }

    private static Validation invalid(String reason) {
        return new Validation.Invalid(reason);
    }
}
