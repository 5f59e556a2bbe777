package dev.gpudev.adapters.aws;

import java.time.Clock;
import java.util.concurrent.atomic.AtomicInteger;

import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import dev.gpudev.scheduler.port.ReservationStore;

/** The contract against LocalStack's DynamoDB, where a Docker engine is available; skipped where it is not. */
@Testcontainers(disabledWithoutDocker = true)
class LocalStackStoreContractTest extends ReservationStoreContract {
    @Container
    static final LocalStackContainer LOCALSTACK = new LocalStackContainer(DockerImageName.parse("localstack/localstack:4.4"))
            .withServices("dynamodb");
    private static final AtomicInteger TABLES = new AtomicInteger();

    @Override
    ReservationStore newStore() {
        int n = TABLES.incrementAndGet();
        DynamoSettings settings = new DynamoSettings(LOCALSTACK.getRegion(), LOCALSTACK.getEndpoint().toString(),
                "reservations-" + n, "links-" + n, true);
        DynamoDbClient client = DynamoClients.builder(settings, DynamoClients.standardRetries())
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(LOCALSTACK.getAccessKey(), LOCALSTACK.getSecretKey())))
                .build();
        DynamoTables.create(client, settings);
        return new DynamoReservationStore(client, settings, Clock.systemUTC());
    }
}
