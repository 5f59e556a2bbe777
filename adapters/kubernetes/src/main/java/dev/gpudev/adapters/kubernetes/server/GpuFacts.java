package dev.gpudev.adapters.kubernetes.server;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.ExecWatch;

/**
 * What a started server runs, for its ready message: read once through {@code pods/exec} in rank 0 with
 * {@code nvidia-smi}, within a timeout; anything that fails (no {@code nvidia-smi}, no exec, a slow answer) just leaves
 * the GPU part out.
 */
public final class GpuFacts {
    /** One line per GPU ({@code NVIDIA H100 80GB HBM3, 550.54.15}), then the driver's CUDA version from the banner. */
    static final String COMMAND = "nvidia-smi --query-gpu=name,driver_version --format=csv,noheader"
            + " && nvidia-smi | grep -o 'CUDA Version: [0-9.]*'";
    private static final Pattern CUDA = Pattern.compile("CUDA Version: ([0-9.]+)");
    private static final Pattern GPU = Pattern.compile("([^,]{1,80}),\\s*([0-9][0-9.]{0,20})");
    private static final int MAX_OUTPUT = 16 * 1024;

    private GpuFacts() {
    }

    /** {@code 8 × NVIDIA H100 80GB HBM3 · driver 550.54.15 · CUDA 12.4}, or empty if the output says none of it. */
    public static Optional<String> parse(String output) {
        List<String> gpus = output.lines().map(String::strip).filter(l -> GPU.matcher(l).matches()).toList();
        if (gpus.isEmpty()) {
            return Optional.empty();
        }
        Matcher first = GPU.matcher(gpus.getFirst());
        first.matches();
        String name = first.group(1).strip().replaceAll("[\\p{Cntrl}`*_<>&]", "");
        Matcher cuda = CUDA.matcher(output);
        return Optional.of(gpus.size() + " × " + name + " · driver " + first.group(2) + (cuda.find() ? " · CUDA " + cuda.group(1) : ""));
    }

    /** The line of the ready message: the GPU facts when known, and the image. */
    public static String about(Optional<String> gpus, String image) {
        return gpus.map(g -> g + " · ").orElse("") + "image " + image;
    }

    /** Runs {@link #COMMAND} in rank 0; empty on any failure or after {@code timeout}. Blocks the calling thread. */
    public static Optional<String> read(KubernetesClient client, String namespace, String pod, Duration timeout) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ExecWatch w = client.pods().inNamespace(namespace).withName(pod).inContainer(ServerObjects.CONTAINER)
                .writingOutput(out).exec("sh", "-c", COMMAND)) {
            w.exitCode().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (Exception e) {
            return Optional.empty();
        }
        byte[] bytes = out.toByteArray();
        return parse(new String(bytes, 0, Math.min(bytes.length, MAX_OUTPUT), StandardCharsets.UTF_8));
    }
}
