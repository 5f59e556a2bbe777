package dev.gpudev.bot.bench;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;
import java.util.function.Predicate;

import com.slack.api.app_backend.SlackSignature;

/**
 * An open-loop load generator: request {@code i} is due at {@code start + i / rate} and is sent then, however
 * slowly earlier ones are answered, and its latency counts from that due time (no coordinated omission).
 * Each target has its own HTTP/1.1 client, so targets loaded at the same time do not share connections.
 *
 * @param body     the form body of request {@code i}, signed at send time
 * @param expected whether an ack body is the answer this target should give
 */
public record OpenLoopLoad(String target, URI endpoint, String signingSecret, IntFunction<String> body, Predicate<String> expected) {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    /** Sends {@code rate * seconds} requests starting with request number {@code first}; returns when all are answered. */
    public Latencies run(int rate, int seconds, int first) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(TIMEOUT).build();
        SlackSignature.Generator signer = new SlackSignature.Generator(signingSecret);
        int n = rate * seconds;
        long period = TimeUnit.SECONDS.toNanos(1) / rate;
        long[] latency = new long[n];
        CountDownLatch done = new CountDownLatch(n);
        long cpuBefore = processCpuNanos();
        long maxLag = 0;
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
        for (int i = 0; i < n; i++) {
            long due = start + i * period;
            for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                LockSupport.parkNanos(wait);
            }
            maxLag = Math.max(maxLag, System.nanoTime() - due);
            String form = body.apply(first + i);
            String ts = String.valueOf(Instant.now().getEpochSecond());
            HttpRequest request = HttpRequest.newBuilder(endpoint).timeout(TIMEOUT)
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .header(SlackSignature.HeaderNames.X_SLACK_REQUEST_TIMESTAMP, ts)
                    .header(SlackSignature.HeaderNames.X_SLACK_SIGNATURE, signer.generate(ts, form))
                    .POST(HttpRequest.BodyPublishers.ofString(form)).build();
            int slot = i;
            http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((res, failure) -> {
                long took = System.nanoTime() - due;
                boolean ok = failure == null && res.statusCode() == 200 && expected.test(res.body());
                latency[slot] = ok ? took : Latencies.ERROR;
                done.countDown();
            });
        }
        if (!done.await(TIMEOUT.toSeconds() * 3, TimeUnit.SECONDS)) {
            throw new IllegalStateException(target + ": " + done.getCount() + " requests never completed");
        }
        long cpu = processCpuNanos() - cpuBefore;
        http.close();
        return new Latencies(target, latency, cpu, maxLag);
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }
}
