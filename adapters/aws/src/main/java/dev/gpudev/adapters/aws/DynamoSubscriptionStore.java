package dev.gpudev.adapters.aws;

import static dev.gpudev.adapters.aws.DynamoReservationStore.call;
import static dev.gpudev.adapters.aws.DynamoTables.EXPIRES_AT;
import static dev.gpudev.adapters.aws.DynamoTables.PK;
import static dev.gpudev.adapters.aws.ReservationItems.n;
import static dev.gpudev.adapters.aws.ReservationItems.s;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import dev.gpudev.scheduler.model.Subscription;
import dev.gpudev.scheduler.model.UserId;
import dev.gpudev.scheduler.port.StoreConflictException;
import dev.gpudev.scheduler.port.SubscriptionStore;

/**
 * Notify subscriptions as items of the links table ({@code pk = notify#<id>}), found through one index item
 * ({@code pk = notify-index}, string set {@code ids}), so that reading them all never scans the table. The index is
 * written before an item is created and after it is deleted: a crash in between leaves an id without an item, which
 * {@link #all} skips and drops, never an item nobody finds. Items carry the links table's TTL ({@code expiresAt}, a week
 * after the subscription's end), so one left behind goes away by itself.
 */
public final class DynamoSubscriptionStore implements SubscriptionStore, AutoCloseable {
    static final String INDEX = "notify-index";
    static final String IDS = "ids";
    private static final Duration KEEP = Duration.ofDays(7);

    private final DynamoDbClient client;
    private final String links;
    private final boolean ownsClient;

    /** Over a client the caller owns (and closes). */
    public DynamoSubscriptionStore(DynamoDbClient client, DynamoSettings settings) {
        this(client, settings, false);
    }

    private DynamoSubscriptionStore(DynamoDbClient client, DynamoSettings settings, boolean ownsClient) {
        this.client = client;
        this.links = settings.linksTable();
        this.ownsClient = ownsClient;
    }

    /** A client of its own; the tables are the reservation store's ({@link DynamoReservationStore#open} creates them). */
    public static DynamoSubscriptionStore open(DynamoSettings settings) {
        return new DynamoSubscriptionStore(DynamoClients.create(settings), settings, true);
    }

    @Override
    public void close() {
        if (ownsClient) {
            client.close();
        }
    }

    @Override
    public List<Subscription> all() {
        Map<String, AttributeValue> index = call("read the notify index", () -> client.getItem(b -> b
                .tableName(links).key(Map.of(PK, s(INDEX))).consistentRead(true)).item());
        List<String> ids = index.containsKey(IDS) ? index.get(IDS).ss() : List.of();
        List<Subscription> found = new ArrayList<>();
        for (String id : ids) {
            Map<String, AttributeValue> item = call("read notification " + id, () -> client.getItem(b -> b
                    .tableName(links).key(Map.of(PK, s(key(id)))).consistentRead(true)).item());
            if (item.isEmpty()) {
                unindex(id);
            } else {
                found.add(fromItem(item));
            }
        }
        return found.stream().sorted(Comparator.comparing(Subscription::createdAt).thenComparing(Subscription::id)).toList();
    }

    @Override
    public Subscription create(Subscription subscription) {
        Subscription stored = subscription.withVersion(1);
        call("index notification " + subscription.id(), () -> client.updateItem(b -> b.tableName(links)
                .key(Map.of(PK, s(INDEX))).updateExpression("ADD #ids :id")
                .expressionAttributeNames(Map.of("#ids", IDS))
                .expressionAttributeValues(Map.of(":id", AttributeValue.fromSs(List.of(subscription.id()))))));
        call("create notification " + subscription.id(), () -> client.putItem(b -> b.tableName(links).item(toItem(stored))
                .conditionExpression("attribute_not_exists(#pk)").expressionAttributeNames(Map.of("#pk", PK))));
        return stored;
    }

    @Override
    public Subscription update(Subscription subscription) {
        Subscription next = subscription.withVersion(subscription.version() + 1);
        Map<String, AttributeValue> item = toItem(next);
        try {
            call("update notification " + subscription.id(), () -> client.putItem(b -> b.tableName(links).item(item)
                    .conditionExpression("#v = :expected").expressionAttributeNames(Map.of("#v", "version"))
                    .expressionAttributeValues(Map.of(":expected", n(subscription.version())))));
        } catch (StoreConflictException lost) {
            // The SDK retries a put whose answer was lost: the retry's condition then fails on the item it wrote itself.
            Map<String, AttributeValue> stored = call("read notification " + subscription.id(), () -> client.getItem(b -> b
                    .tableName(links).key(Map.of(PK, s(key(subscription.id())))).consistentRead(true)).item());
            if (!item.equals(stored)) {
                throw lost;
            }
        }
        return next;
    }

    @Override
    public void delete(String id) {
        call("delete notification " + id, () -> client.deleteItem(b -> b.tableName(links).key(Map.of(PK, s(key(id))))));
        unindex(id);
    }

    private void unindex(String id) {
        call("unindex notification " + id, () -> client.updateItem(b -> b.tableName(links)
                .key(Map.of(PK, s(INDEX))).updateExpression("DELETE #ids :id")
                .expressionAttributeNames(Map.of("#ids", IDS))
                .expressionAttributeValues(Map.of(":id", AttributeValue.fromSs(List.of(id))))));
    }

    private static String key(String id) {
        return "notify#" + id;
    }

    static Map<String, AttributeValue> toItem(Subscription s) {
        Map<String, AttributeValue> item = new HashMap<>(Map.of(
                PK, s(key(s.id())),
                "id", s(s.id()),
                "user", s(s.user().value()),
                "gpuType", s(s.gpuType()),
                "gpus", n(s.gpus()),
                "durationS", n(s.duration().toSeconds()),
                "createdAt", s(s.createdAt().toString()),
                "until", s(s.expiresAt().toString()),
                "delivered", AttributeValue.fromBool(s.delivered()),
                "version", n(s.version())));
        item.put(EXPIRES_AT, n(s.expiresAt().plus(KEEP).getEpochSecond()));
        if (s.firedAt() != null) {
            item.put("firedAt", s(s.firedAt().toString()));
        }
        return item;
    }

    static Subscription fromItem(Map<String, AttributeValue> item) {
        return new Subscription(item.get("id").s(), new UserId(item.get("user").s()), item.get("gpuType").s(),
                Integer.parseInt(item.get("gpus").n()), Duration.ofSeconds(Long.parseLong(item.get("durationS").n())),
                Instant.parse(item.get("createdAt").s()), Instant.parse(item.get("until").s()),
                item.containsKey("firedAt") ? Instant.parse(item.get("firedAt").s()) : null,
                item.get("delivered").bool(), Long.parseLong(item.get("version").n()));
    }
}
