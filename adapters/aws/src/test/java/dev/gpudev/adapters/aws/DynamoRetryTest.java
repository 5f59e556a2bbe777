package dev.gpudev.adapters.aws;

import static dev.gpudev.scheduler.testing.Fixtures.ANA;
import static dev.gpudev.scheduler.testing.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.FieldSource;

import com.sun.net.httpserver.HttpServer;

import dev.gpudev.scheduler.model.ReservationId;
import dev.gpudev.scheduler.port.StoreConflictException;
import dev.gpudev.scheduler.port.StoreUnavailableException;
import dev.gpudev.scheduler.testing.Fixtures;

/** Throttling and 5xx go through the SDK's retry strategy; what still fails reaches the service as "unavailable". */
class DynamoRetryTest {
    private static final String THROTTLED = "400 com.amazonaws.dynamodb.v20120810#ThrottlingException";
    private static final String THROUGHPUT = "400 com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException";
    private static final String INTERNAL = "500 com.amazonaws.dynamodb.v20120810#InternalServerError";
    private static final String UNAVAILABLE = "503 com.amazonaws.dynamodb.v20120810#ServiceUnavailable";
    private static final String CONDITION = "400 com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException";
    private static final String OK = "200 {}";

    /** Answers given in turn (the last repeats), whether the read succeeds, and how many requests the SDK made. */
    static final List<Arguments> CASES = List.of(
            Arguments.of(Named.of("two throttles, then an answer", List.of(THROTTLED, THROTTLED, OK)), true, 3),
            Arguments.of(Named.of("throughput exceeded once", List.of(THROUGHPUT, OK)), true, 2),
            Arguments.of(Named.of("a 500 and a 503, then an answer", List.of(INTERNAL, UNAVAILABLE, OK)), true, 3),
            Arguments.of(Named.of("500 on every attempt", List.of(INTERNAL)), false, DynamoClients.ATTEMPTS),
            Arguments.of(Named.of("throttled on every attempt", List.of(THROTTLED)), false, DynamoClients.ATTEMPTS));

    private final AtomicInteger requests = new AtomicInteger();
    private final List<String> targets = new CopyOnWriteArrayList<>();
    private volatile List<String> answers = List.of(OK);
    private HttpServer server;
    private DynamoReservationStore store;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            int n = requests.getAndIncrement();
            targets.add(exchange.getRequestHeaders().getFirst("X-Amz-Target"));
            exchange.getRequestBody().readAllBytes();
            String answer = answers.get(Math.min(n, answers.size() - 1));
            int status = Integer.parseInt(answer.substring(0, 3));
            String body = status == 200 ? answer.substring(4)
                    : "{\"__type\":\"" + answer.substring(4) + "\",\"message\":\"test\"}";
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.0");
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        DynamoSettings settings = new DynamoSettings("us-east-1", "http://127.0.0.1:" + server.getAddress().getPort(),
                "reservations", "links", false);
        store = new DynamoReservationStore(Dynalite.client(settings), settings, Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @ParameterizedTest
    @FieldSource("CASES")
    void retriesThrottlingAndServerErrorsThenReportsUnavailable(List<String> given, boolean succeeds, int attempts) {
        answers = given;

        if (succeeds) {
            assertThat(store.find(new ReservationId("h100-0001"))).isEmpty();
        } else {
            assertThatThrownBy(() -> store.find(new ReservationId("h100-0001"))).isInstanceOf(StoreUnavailableException.class)
                    .hasMessageContaining("DynamoDB did not read reservation h100-0001");
        }
        assertThat(requests).hasValue(attempts);
    }

    @Test
    void aFailedConditionIsAConflictAndIsNotRetried() {
        answers = List.of(CONDITION, OK);

        assertThatThrownBy(() -> store.update(Fixtures.queued("h100-0002", ANA, 1, Duration.ofHours(1), T0).withVersion(3)))
                .isInstanceOf(StoreConflictException.class);
        // the write once, then a read that tells a lost race from a newer leadership term
        assertThat(targets).containsExactly("DynamoDB_20120810.PutItem", "DynamoDB_20120810.GetItem");
    }

    @Test
    void aStoreNobodyAnswersIsUnavailable() {
        server.stop(0);

        assertThatThrownBy(() -> store.claim("reserve:T1", "h100-0003")).isInstanceOf(StoreUnavailableException.class);
    }
}
