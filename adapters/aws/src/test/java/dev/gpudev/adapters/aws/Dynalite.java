package dev.gpudev.adapters.aws;

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
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * One dynalite (the npm DynamoDB emulator) per test JVM, on a free port. The binary is {@code $DYNALITE_BIN}
 * ({@code .ci/run} installs it) or {@code dynalite} on the PATH. Without it the tests are skipped with the reason,
 * except under {@code CI=true}, where they fail. The bot's crash test uses it too (this module's test-jar).
 */
public final class Dynalite {
    private static final AtomicInteger TABLES = new AtomicInteger();
    private static @Nullable URI endpoint;
    private static boolean warned;

    private Dynalite() {
    }

    public static synchronized URI endpoint() {
        if (endpoint == null) {
            endpoint = start(binary().orElseGet(Dynalite::missing));
        }
        return endpoint;
    }

    /** Settings with tables of their own, so tests never see each other's items. */
    static DynamoSettings freshSettings() {
        int n = TABLES.incrementAndGet();
        return new DynamoSettings("us-east-1", endpoint().toString(), "reservations-" + n, "links-" + n, true);
    }

    static DynamoDbClient client(DynamoSettings settings) {
        return DynamoClients.builder(settings, DynamoClients.fastRetries())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .build();
    }

    /** A store on fresh tables, created as {@code create-tables: true} would. */
    public static DynamoReservationStore freshStore(Clock clock) {
        DynamoSettings settings = freshSettings();
        DynamoDbClient client = client(settings);
        DynamoTables.create(client, settings);
        return new DynamoReservationStore(client, settings, clock);
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

    private static synchronized Path missing() {
        String why = "dynalite not found (DYNALITE_BIN unset or not executable, and no dynalite on the PATH). Install it: "
                + "npm install --prefix /tmp/dyn dynalite@4.0.0 && export DYNALITE_BIN=/tmp/dyn/node_modules/.bin/dynalite";
        if ("true".equals(System.getenv("CI"))) {
            Assertions.fail(why + " — CI=true requires the DynamoDB tests to run");
        }
        if (!warned) {
            warned = true;
            System.err.println("[dynalite] DynamoDB tests skipped: " + why);
        }
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
