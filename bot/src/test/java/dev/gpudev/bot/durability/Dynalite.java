package dev.gpudev.bot.durability;

import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import dev.gpudev.adapters.aws.DynamoReservationStore;
import dev.gpudev.adapters.aws.DynamoSettings;
import dev.gpudev.adapters.aws.DynamoTables;

/**
 * One dynalite (the npm DynamoDB emulator) per test JVM, on a free port, and one client for it (a small copy of the aws
 * module's test helper). The binary is {@code $DYNALITE_BIN} or {@code dynalite} on the PATH; without it the test is
 * skipped with the reason, except under {@code CI=true}, where it fails.
 */
final class Dynalite {
    private static final AtomicInteger TABLES = new AtomicInteger();
    private static @Nullable DynamoDbClient client;
    private static @Nullable URI endpoint;

    private Dynalite() {
    }

    /** A store on fresh tables, so no trial sees another's items. */
    static DynamoReservationStore freshStore() {
        int n = TABLES.incrementAndGet();
        DynamoSettings settings = new DynamoSettings("us-east-1", endpoint().toString(), "crash-reservations-" + n, "crash-links-" + n, true);
        DynamoTables.create(client(), settings);
        return new DynamoReservationStore(client(), settings, Clock.systemUTC());
    }

    /** Skips (or under CI fails) the caller at once when dynalite is missing, before any slower setup. */
    static synchronized URI endpoint() {
        if (endpoint == null) {
            endpoint = start(binary().orElseGet(Dynalite::missing));
        }
        return endpoint;
    }

    private static synchronized DynamoDbClient client() {
        if (client == null) {
            client = DynamoDbClient.builder().region(Region.US_EAST_1).endpointOverride(endpoint())
                    .httpClientBuilder(UrlConnectionHttpClient.builder().connectionTimeout(Duration.ofSeconds(2)).socketTimeout(Duration.ofSeconds(5)))
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                    .build();
        }
        return client;
    }

    private static Optional<Path> binary() {
        String env = System.getenv("DYNALITE_BIN");
        if (env != null && !env.isBlank()) {
            return Optional.of(Path.of(env)).filter(Files::isExecutable);
        }
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .filter(dir -> !dir.isBlank())
                .map(dir -> Path.of(dir, "dynalite"))
                .filter(Files::isExecutable)
                .findFirst();
    }

    private static Path missing() {
        String why = "dynalite not found (DYNALITE_BIN unset or not executable, and no dynalite on the PATH). Install it: "
                + "npm install --prefix /tmp/dyn dynalite@4.0.0 && export DYNALITE_BIN=/tmp/dyn/node_modules/.bin/dynalite";
        if ("true".equals(System.getenv("CI"))) {
            Assertions.fail(why + " — CI=true requires the crash test to run");
        }
        System.err.println("[dynalite] crash test skipped: " + why);
        Assumptions.abort(why);
        throw new AssertionError(why);
    }

    private static URI start(Path bin) {
        int port = freePort();
        try {
            Path log = Files.createTempFile("dynalite", ".log");
            Process process = new ProcessBuilder(bin.toString(), "--port", Integer.toString(port),
                    "--createTableMs", "0", "--deleteTableMs", "0", "--updateTableMs", "0")
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                process.descendants().forEach(ProcessHandle::destroy);
                process.destroy();
            }));
            await("dynalite listening on port " + port).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                    .until(() -> {
                        if (!process.isAlive()) {
                            throw new IllegalStateException("dynalite exited with " + process.exitValue() + ": " + Files.readString(log));
                        }
                        return listening(port);
                    });
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + bin, e);
        }
        return URI.create("http://127.0.0.1:" + port);
    }

    private static boolean listening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
