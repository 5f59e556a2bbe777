package dev.gpudev.adapters.aws;

import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
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
 * ({@code .ci/run} installs it), {@code dynalite} on the PATH, or else the pinned version that the first test JVM of
 * the build installs with npm into {@code <project>/target/dynalite} (a file lock keeps parallel JVMs to one install).
 * Without Node.js/npm the tests are skipped with the reason, except under {@code CI=true}, where they fail. The bot's
 * tests use it too (this module's test-jar).
 */
public final class Dynalite {
    static final String VERSION = "dynalite@4.0.0";
    private static final AtomicInteger TABLES = new AtomicInteger();
    private static @Nullable URI endpoint;
    private static boolean warned;
    private static String why = "no install tried";
    private static boolean installTried;

    private Dynalite() {
    }

    public static synchronized URI endpoint() {
        if (endpoint == null) {
            endpoint = start(binary().or(Dynalite::installed).orElseGet(Dynalite::missing));
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
        return onPath("dynalite");
    }

    private static Optional<Path> onPath(String name) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .filter(dir -> !dir.isBlank())
                .map(dir -> Path.of(dir, name))
                .filter(Files::isExecutable)
                .findFirst();
    }

    /** The pinned dynalite under {@code <project>/target/dynalite}, installed by npm if it is not there yet. */
    private static Optional<Path> installed() {
        if (installTried) {
            return Optional.empty();
        }
        installTried = true;
        Optional<Path> npm = onPath("npm");
        Optional<Path> project = projectRoot();
        if (npm.isEmpty() || project.isEmpty()) {
            why = npm.isEmpty() ? "npm not found on the PATH (install Node.js)" : "no project root (.mvn/) above " + Path.of("").toAbsolutePath();
            return Optional.empty();
        }
        Path dir = project.get().resolve("target/dynalite");
        Path bin = dir.resolve("node_modules/.bin/dynalite");
        try {
            Files.createDirectories(dir);
            try (FileChannel lock = FileChannel.open(dir.resolve("install.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = lock.lock()) {
                if (!Files.isExecutable(bin)) {
                    Path log = dir.resolve("npm-install.log");
                    System.err.println("[dynalite] installing " + VERSION + " into " + dir + " (npm)");
                    Process npmInstall = new ProcessBuilder(npm.get().toString(), "install", "--no-audit", "--no-fund", "--prefix", dir.toString(), VERSION)
                            .redirectErrorStream(true).redirectOutput(log.toFile()).start();
                    if (!npmInstall.waitFor(5, TimeUnit.MINUTES)) {
                        npmInstall.destroyForcibly();
                    }
                    if (!Files.isExecutable(bin)) {
                        why = "npm install " + VERSION + " failed (" + log + "): " + tail(log);
                    }
                }
            }
        } catch (IOException e) {
            why = "could not install " + VERSION + " into " + dir + ": " + e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            why = "interrupted while installing " + VERSION;
        }
        return Optional.of(bin).filter(Files::isExecutable);
    }

    private static Optional<Path> projectRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve(".mvn"))) {
                return Optional.of(dir);
            }
        }
        return Optional.empty();
    }

    private static String tail(Path log) throws IOException {
        String text = Files.readString(log).strip();
        return text.substring(Math.max(0, text.length() - 300));
    }

    private static synchronized Path missing() {
        String reason = "dynalite not found (DYNALITE_BIN unset or not executable, no dynalite on the PATH, and " + why + "). Install Node.js "
                + "(the build then installs " + VERSION + " itself), or: npm install --prefix /tmp/dyn " + VERSION
                + " && export DYNALITE_BIN=/tmp/dyn/node_modules/.bin/dynalite";
        if ("true".equals(System.getenv("CI"))) {
            Assertions.fail(reason + " — CI=true requires the DynamoDB tests to run");
        }
        if (!warned) {
            warned = true;
            System.err.println("[dynalite] DynamoDB tests skipped: " + reason);
        }
        Assumptions.abort(reason);
        throw new AssertionError(reason);
    }

    /**
     * The free port is not held between choosing it and dynalite's bind, so another process (another build on the
     * machine) may take it: a connect would then reach that process. Only dynalite's own "listening" line proves the
     * port is ours; if dynalite exits first (the port was taken), it is started again on another one.
     */
    private static URI start(Path bin) {
        for (int attempt = 1; ; attempt++) {
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
                        .until(() -> !process.isAlive() || Files.readString(log).contains("Dynalite listening at"));
                if (process.isAlive()) {
                    return URI.create("http://127.0.0.1:" + port);
                }
                if (attempt == 3) {
                    throw new IllegalStateException("dynalite exited with " + process.exitValue() + ": " + Files.readString(log));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("could not start " + bin, e);
            }
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
