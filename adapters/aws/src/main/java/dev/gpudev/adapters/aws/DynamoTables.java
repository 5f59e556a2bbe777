package dev.gpudev.adapters.aws;

import static dev.gpudev.adapters.aws.ReservationItems.ID;
import static dev.gpudev.adapters.aws.ReservationItems.ID_HEAD;
import static dev.gpudev.adapters.aws.ReservationItems.LIVE;
import static dev.gpudev.adapters.aws.ReservationItems.LIVE_INDEX;
import static dev.gpudev.adapters.aws.ReservationItems.OWNER;
import static dev.gpudev.adapters.aws.ReservationItems.OWNER_INDEX;
import static dev.gpudev.adapters.aws.ReservationItems.OWNER_SORT;
import static dev.gpudev.adapters.aws.ReservationItems.PREFIX_INDEX;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.waiters.DynamoDbWaiter;

/**
 * The table design, as the infra must create it, and its creation for local and test use ({@code create-tables}).
 * Reservations: key {@code id}; sparse {@code live-index} (live, id; keys only), {@code owner-index} (owner,
 * ownerSort), {@code id-prefix-index} (idHead, id). Links: key {@code pk} ({@code user#<id>} for a user link,
 * {@code claim#<key>} for an idempotency key, which expires through the TTL attribute {@code expiresAt}, {@code drained},
 * and {@code leader-term}, the fencing ledger: {@code term} and {@code booked}).
 */
public final class DynamoTables {
    static final String PK = "pk";
    static final String EXPIRES_AT = "expiresAt";
    private static final System.Logger LOG = System.getLogger(DynamoTables.class.getName());

    private DynamoTables() {
    }

    /** Creates what is missing and waits until it is active. Never called in production, where the infra owns the tables. */
    public static void create(DynamoDbClient client, DynamoSettings settings) {
        createIfMissing(client, CreateTableRequest.builder()
                .tableName(settings.reservationsTable())
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(strings(ID, ID_HEAD, OWNER, OWNER_SORT, LIVE))
                .keySchema(key(ID, KeyType.HASH))
                .globalSecondaryIndexes(
                        index(LIVE_INDEX, LIVE, ID, ProjectionType.KEYS_ONLY),
                        index(OWNER_INDEX, OWNER, OWNER_SORT, ProjectionType.ALL),
                        index(PREFIX_INDEX, ID_HEAD, ID, ProjectionType.ALL))
                .build());
        createIfMissing(client, CreateTableRequest.builder()
                .tableName(settings.linksTable())
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(strings(PK))
                .keySchema(key(PK, KeyType.HASH))
                .build());
        try {
            client.updateTimeToLive(b -> b.tableName(settings.linksTable())
                    .timeToLiveSpecification(t -> t.attributeName(EXPIRES_AT).enabled(true)));
        } catch (DynamoDbException e) {
            // dynalite has no TTL; DynamoDB refuses a second enabling. Expired claims then just stay.
            LOG.log(Level.DEBUG, "TTL on " + settings.linksTable() + " not enabled: " + e.getMessage());
        }
    }

    private static void createIfMissing(DynamoDbClient client, CreateTableRequest request) {
        try {
            client.createTable(request);
            LOG.log(Level.INFO, "created DynamoDB table " + request.tableName());
        } catch (ResourceInUseException exists) {
            LOG.log(Level.DEBUG, "table " + request.tableName() + " exists");
        }
        try (DynamoDbWaiter waiter = DynamoDbWaiter.builder().client(client)
                .overrideConfiguration(o -> o.backoffStrategyV2(BackoffStrategy.fixedDelay(Duration.ofMillis(200))).maxAttempts(300))
                .build()) {
            waiter.waitUntilTableExists(b -> b.tableName(request.tableName()));
        }
    }

    private static List<AttributeDefinition> strings(String... names) {
        return Arrays.stream(names).map(n -> AttributeDefinition.builder().attributeName(n)
                .attributeType(ScalarAttributeType.S).build()).toList();
    }

    private static KeySchemaElement key(String name, KeyType type) {
        return KeySchemaElement.builder().attributeName(name).keyType(type).build();
    }

    private static GlobalSecondaryIndex index(String name, String hash, String range, ProjectionType projection) {
        return GlobalSecondaryIndex.builder().indexName(name)
                .keySchema(key(hash, KeyType.HASH), key(range, KeyType.RANGE))
                .projection(p -> p.projectionType(projection))
                .build();
    }
}
