package dev.gpudev.adapters.aws;

import static dev.gpudev.adapters.aws.DynamoTables.EXPIRES_AT;
import static dev.gpudev.adapters.aws.DynamoTables.PK;
import static dev.gpudev.adapters.aws.ReservationItems.ID;
import static dev.gpudev.adapters.aws.ReservationItems.ID_HEAD;
import static dev.gpudev.adapters.aws.ReservationItems.LIVE;
import static dev.gpudev.adapters.aws.ReservationItems.LIVE_INDEX;
import static dev.gpudev.adapters.aws.ReservationItems.LIVE_VALUE;
import static dev.gpudev.adapters.aws.ReservationItems.OWNER;
import static dev.gpudev.adapters.aws.ReservationItems.OWNER_INDEX;
import static dev.gpudev.adapters.aws.ReservationItems.PREFIX_INDEX;
import static dev.gpudev.adapters.aws.ReservationItems.VERSION;
import static dev.gpudev.adapters.aws.ReservationItems.n;
import static dev.gpudev.adapters.aws.ReservationItems.s;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

import dev.gpudev.scheduler.model.GithubLogin;
import dev.gpudev.scheduler.model.NodeName;
import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.model.ReservationId;
import dev.gpudev.scheduler.model.UserId;
import dev.gpudev.scheduler.model.UserLink;
import dev.gpudev.scheduler.port.LeaderTerm;
import dev.gpudev.scheduler.port.ReservationStore;
import dev.gpudev.scheduler.port.StoreConflictException;
import dev.gpudev.scheduler.port.StoreFencedException;
import dev.gpudev.scheduler.port.StoreUnavailableException;

/**
 * Reservations as items (kept as history), each write one conditional put: {@code attribute_not_exists(id)} on
 * create, {@code version = :expected} and no newer {@code term} on update; the leadership term and its last booking
 * are one item of the links table (the ledger), written only with conditions on its term. Reads of single items are strongly consistent; index queries are
 * not, so {@link #live} reads the live ids from the sparse index and then the items themselves consistently.
 */
public final class DynamoReservationStore implements ReservationStore, AutoCloseable {
    /** Slack retries for minutes and people double-click within seconds; a week is far beyond both. */
    static final Duration CLAIM_TTL = Duration.ofDays(7);
    static final String GITHUB_ID = "githubId";
    private static final int BATCH = 100;
    private static final int UNPROCESSED_ROUNDS = 10;
    /** The links table's one item holding the drained nodes. */
    private static final String DRAINED = "drained";
    /** The links table's one item holding the idle policy's exemptions (docs/idle.md). */
    private static final String IDLE_EXEMPTIONS = "idle-exemptions";
    /** The links table's one item holding the leadership term and the last booking (the ledger). */
    static final String LEDGER = "leader-term";
    static final String TERM = "term";
    static final String BOOKED = "booked";
    private static final int LEAD_ATTEMPTS = 10;

    private final DynamoDbClient client;
    private final String reservations;
    private final String links;
    private final Clock clock;
    private final boolean ownsClient;

    /** Over a client the caller owns (and closes). */
    public DynamoReservationStore(DynamoDbClient client, DynamoSettings settings, Clock clock) {
        this(client, settings, clock, false);
    }

    private DynamoReservationStore(DynamoDbClient client, DynamoSettings settings, Clock clock, boolean ownsClient) {
        this.client = client;
        this.ownsClient = ownsClient;
        this.reservations = settings.reservationsTable();
        this.links = settings.linksTable();
        this.clock = clock;
    }

    /** A client for the settings, creating the tables first if {@code create-tables} is set. */
    public static DynamoReservationStore open(DynamoSettings settings) {
        DynamoDbClient client = DynamoClients.create(settings);
        if (settings.createTables()) {
            call("create the tables", () -> {
                DynamoTables.create(client, settings);
                return true;
            });
        }
        return new DynamoReservationStore(client, settings, Clock.systemUTC(), true);
    }

    /** Closes the client if {@link #open} made it. */
    @Override
    public void close() {
        if (ownsClient) {
            client.close();
        }
    }

    @Override
    public Reservation create(Reservation reservation, long term) {
        Reservation stored = reservation.withVersion(1);
        Map<String, AttributeValue> item = new HashMap<>(ReservationItems.toItem(stored));
        item.put(TERM, n(term));
        call("create reservation " + reservation.id(), () -> client.putItem(b -> b.tableName(reservations)
                .item(item)
                .conditionExpression("attribute_not_exists(#id)")
                .expressionAttributeNames(Map.of("#id", ID))));
        return stored;
    }

    @Override
    public Reservation update(Reservation reservation, long term) {
        Reservation next = reservation.withVersion(reservation.version() + 1);
        Map<String, AttributeValue> item = new HashMap<>(ReservationItems.toItem(next));
        item.put(TERM, n(term));
        String what = "update reservation " + reservation.id() + " at version " + reservation.version();
        try {
            call(what, () -> client.putItem(b -> b
                    .tableName(reservations)
                    .item(item)
                    // an item written before terms were kept has none: any term may write it
                    .conditionExpression("#v = :expected AND (attribute_not_exists(#term) OR #term <= :term)")
                    .expressionAttributeNames(Map.of("#v", VERSION, "#term", TERM))
                    .expressionAttributeValues(Map.of(":expected", n(reservation.version()), ":term", n(term)))));
        } catch (StoreConflictException lost) {
            Map<String, AttributeValue> stored = call("read reservation " + reservation.id(), () -> client.getItem(b -> b
                    .tableName(reservations).key(Map.of(ID, s(reservation.id().value()))).consistentRead(true)).item());
            // The SDK retries a put whose answer was lost; if the first try landed, the retry's condition fails on the
            // very item it wrote. That is this write done, not a lost race (which would apply the change twice).
            if (item.equals(stored)) {
                return next;
            }
            long written = stored.containsKey(TERM) ? Long.parseLong(stored.get(TERM).n()) : 0;
            if (written > term) {
                throw new StoreFencedException("could not " + what + ": it was written in term " + written + ", after term " + term);
            }
            throw lost;
        }
        return next;
    }

    @Override
    public LeaderTerm lead() {
        for (int attempt = 0; attempt < LEAD_ATTEMPTS; attempt++) {
            Map<String, AttributeValue> ledger = call("read the leader term", () -> client.getItem(b -> b
                    .tableName(links).key(Map.of(PK, s(LEDGER))).consistentRead(true)).item());
            long current = ledger.containsKey(TERM) ? Long.parseLong(ledger.get(TERM).n()) : 0;
            try {
                // ALL_NEW: the bookings as of the raise itself, not as of the read before it
                Map<String, AttributeValue> raised = call("take leader term " + (current + 1), () -> client.updateItem(b -> b
                        .tableName(links).key(Map.of(PK, s(LEDGER)))
                        .updateExpression("SET #term = :next")
                        .conditionExpression(current == 0 ? "attribute_not_exists(#term)" : "#term = :current")
                        .expressionAttributeNames(Map.of("#term", TERM))
                        .expressionAttributeValues(current == 0 ? Map.of(":next", n(1))
                                : Map.of(":next", n(current + 1), ":current", n(current)))
                        .returnValues(ReturnValue.ALL_NEW)).attributes());
                Set<ReservationId> booked = raised.containsKey(BOOKED)
                        ? raised.get(BOOKED).l().stream().map(v -> new ReservationId(v.s())).collect(Collectors.toSet()) : Set.of();
                return new LeaderTerm(current + 1, booked);
            } catch (StoreConflictException raced) {
                // another replica took a term between the read and the raise: read again and take the next one
            }
        }
        throw new StoreConflictException("could not take a leader term: other replicas kept taking one at the same time");
    }

    @Override
    public void book(long term, Set<ReservationId> holders) {
        List<AttributeValue> ids = holders.stream().map(id -> s(id.value())).sorted(Comparator.comparing(AttributeValue::s)).toList();
        try {
            call("book the placement in term " + term, () -> client.updateItem(b -> b
                    .tableName(links).key(Map.of(PK, s(LEDGER)))
                    .updateExpression("SET #booked = :booked")
                    .conditionExpression("#term = :term")
                    .expressionAttributeNames(Map.of("#term", TERM, "#booked", BOOKED))
                    .expressionAttributeValues(Map.of(":term", n(term), ":booked", AttributeValue.fromL(ids)))));
        } catch (StoreConflictException newer) {
            throw new StoreFencedException("could not book a placement in term " + term + ": a newer term was taken");
        }
    }

    @Override
    public Optional<Reservation> find(ReservationId id) {
        Map<String, AttributeValue> item = call("read reservation " + id, () -> client.getItem(b -> b
                .tableName(reservations).key(Map.of(ID, s(id.value()))).consistentRead(true)).item());
        return item.isEmpty() ? Optional.empty() : Optional.of(ReservationItems.fromItem(item));
    }

    @Override
    public List<Reservation> live() {
        return call("read the live reservations", () -> {
            List<Map<String, AttributeValue>> keys = new ArrayList<>();
            client.queryPaginator(QueryRequest.builder().tableName(reservations).indexName(LIVE_INDEX)
                            .keyConditionExpression("#live = :live")
                            .expressionAttributeNames(Map.of("#live", LIVE))
                            .expressionAttributeValues(Map.of(":live", s(LIVE_VALUE)))
                            .build())
                    .items().forEach(item -> keys.add(Map.of(ID, item.get(ID))));
            List<Reservation> found = new ArrayList<>();
            for (int from = 0; from < keys.size(); from += BATCH) {
                getConsistently(keys.subList(from, Math.min(keys.size(), from + BATCH)))
                        .forEach(item -> found.add(ReservationItems.fromItem(item)));
            }
            return found.stream().filter(Reservation::live).sorted(Comparator.comparing(Reservation::id)).toList();
        });
    }

    private List<Map<String, AttributeValue>> getConsistently(List<Map<String, AttributeValue>> keys) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        Map<String, KeysAndAttributes> pending = Map.of(reservations,
                KeysAndAttributes.builder().keys(keys).consistentRead(true).build());
        for (int round = 0; !pending.isEmpty(); round++) {
            if (round == UNPROCESSED_ROUNDS) {
                throw new StoreUnavailableException("DynamoDB kept leaving keys of the live reservations unprocessed",
                        new IllegalStateException(pending.size() + " tables with unprocessed keys"));
            }
            Map<String, KeysAndAttributes> request = pending;
            BatchGetItemResponse response = client.batchGetItem(b -> b.requestItems(request));
            items.addAll(response.responses().getOrDefault(reservations, List.of()));
            pending = response.unprocessedKeys();
        }
        return items;
    }

    @Override
    public List<Reservation> byOwner(UserId owner, int limit) {
        if (limit < 1) {
            return List.of();
        }
        return call("read the reservations of " + owner, () -> client.queryPaginator(QueryRequest.builder()
                        .tableName(reservations).indexName(OWNER_INDEX)
                        .keyConditionExpression("#owner = :owner")
                        .expressionAttributeNames(Map.of("#owner", OWNER))
                        .expressionAttributeValues(Map.of(":owner", s(owner.value())))
                        .scanIndexForward(false)
                        .limit(limit)
                        .build())
                .items().stream().limit(limit).map(ReservationItems::fromItem).toList());
    }

    @Override
    public List<Reservation> byIdPrefix(String prefix, int limit) {
        if (limit < 1) {
            return List.of();
        }
        if (prefix.isEmpty()) {
            return call("scan the reservations", () -> client.scanPaginator(b -> b.tableName(reservations).consistentRead(true).limit(limit))
                    .items().stream().limit(limit).map(ReservationItems::fromItem).sorted(Comparator.comparing(Reservation::id)).toList());
        }
        return call("find reservations starting with " + prefix, () -> client.queryPaginator(QueryRequest.builder()
                        .tableName(reservations).indexName(PREFIX_INDEX)
                        .keyConditionExpression("#head = :head AND begins_with(#id, :prefix)")
                        .expressionAttributeNames(Map.of("#head", ID_HEAD, "#id", ID))
                        .expressionAttributeValues(Map.of(":head", s(ReservationItems.idHead(prefix)), ":prefix", s(prefix)))
                        .limit(limit)
                        .build())
                .items().stream().limit(limit).map(ReservationItems::fromItem).toList());
    }

    /** Reads the owner's partition of the owner index only (no page limit: DynamoDB applies it before the filter). */
    @Override
    public List<Reservation> byOwnerIdPrefix(UserId owner, String prefix, int limit) {
        if (limit < 1) {
            return List.of();
        }
        return call("find reservations of " + owner + " starting with " + prefix, () -> client.queryPaginator(QueryRequest.builder()
                        .tableName(reservations).indexName(OWNER_INDEX)
                        .keyConditionExpression("#owner = :owner")
                        .filterExpression("begins_with(#id, :prefix)")
                        .expressionAttributeNames(Map.of("#owner", OWNER, "#id", ID))
                        .expressionAttributeValues(Map.of(":owner", s(owner.value()), ":prefix", s(prefix)))
                        .build())
                .items().stream().limit(limit).map(ReservationItems::fromItem).sorted(Comparator.comparing(Reservation::id)).toList());
    }

    @Override
    public Optional<String> claim(String key, String value) {
        AttributeValue pk = s("claim#" + boundedKey(key));
        try {
            call("record idempotency key", () -> client.putItem(b -> b.tableName(links)
                    .item(Map.of(PK, pk, "value", s(value),
                            EXPIRES_AT, n(clock.instant().plus(CLAIM_TTL).getEpochSecond())))
                    .conditionExpression("attribute_not_exists(#pk)")
                    .expressionAttributeNames(Map.of("#pk", PK))));
            return Optional.empty();
        } catch (StoreConflictException duplicate) {
            Map<String, AttributeValue> first = call("read idempotency key", () -> client.getItem(b -> b
                    .tableName(links).key(Map.of(PK, pk)).consistentRead(true)).item());
            return Optional.of(first.containsKey("value") ? first.get("value").s() : "");
        }
    }

    /** Keys are opaque trigger ids; a long one is hashed so it always fits a DynamoDB key. */
    private static String boundedKey(String key) {
        if (key.length() <= 512) {
            return key;
        }
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public Optional<UserLink> link(UserId user) {
        Map<String, AttributeValue> item = call("read the link of " + user, () -> client.getItem(b -> b
                .tableName(links).key(Map.of(PK, s("user#" + user.value()))).consistentRead(true)).item());
        if (item.isEmpty()) {
            return Optional.empty();
        }
        // links stored before GitHub ids were kept have no githubId
        long githubId = item.containsKey(GITHUB_ID) ? Long.parseLong(item.get(GITHUB_ID).n()) : UserLink.UNKNOWN_ID;
        return Optional.of(new UserLink(user, new GithubLogin(item.get("login").s()), githubId, item.get("verified").bool(),
                Instant.parse(item.get("linkedAt").s())));
    }

    @Override
    public void saveLink(UserLink link) {
        Map<String, AttributeValue> item = new HashMap<>(Map.of(
                PK, s("user#" + link.user().value()),
                "user", s(link.user().value()),
                "login", s(link.login().value()),
                "verified", AttributeValue.fromBool(link.verified()),
                "linkedAt", s(link.linkedAt().toString())));
        if (link.idKnown()) {
            item.put(GITHUB_ID, n(link.githubId()));
        }
        call("save the link of " + link.user(), () -> client.putItem(b -> b.tableName(links).item(item)));
    }

    @Override
    public Set<NodeName> drained() {
        Map<String, AttributeValue> item = call("read the drained nodes", () -> client.getItem(b -> b
                .tableName(links).key(Map.of(PK, s(DRAINED))).consistentRead(true)).item());
        return item.containsKey("nodes") ? item.get("nodes").l().stream().map(v -> new NodeName(v.s())).collect(Collectors.toSet()) : Set.of();
    }

    @Override
    public void saveDrained(Set<NodeName> nodes) {
        List<AttributeValue> names = nodes.stream().map(n -> s(n.value())).sorted(Comparator.comparing(AttributeValue::s)).toList();
        call("save the drained nodes", () -> client.putItem(b -> b.tableName(links)
                .item(Map.of(PK, s(DRAINED), "nodes", AttributeValue.fromL(names)))));
    }

    @Override
    public Set<String> idleExemptions() {
        Map<String, AttributeValue> item = call("read the idle exemptions", () -> client.getItem(b -> b
                .tableName(links).key(Map.of(PK, s(IDLE_EXEMPTIONS))).consistentRead(true)).item());
        return item.containsKey("exempt") ? item.get("exempt").l().stream().map(AttributeValue::s).collect(Collectors.toSet()) : Set.of();
    }

    @Override
    public void saveIdleExemptions(Set<String> exemptions) {
        List<AttributeValue> all = exemptions.stream().sorted().map(ReservationItems::s).toList();
        call("save the idle exemptions", () -> client.putItem(b -> b.tableName(links)
                .item(Map.of(PK, s(IDLE_EXEMPTIONS), "exempt", AttributeValue.fromL(all)))));
    }

    /** Maps the SDK's failures, after its retries, to the port's two exceptions. */
    static <T> T call(String what, Supplier<T> op) {
        try {
            return op.get();
        } catch (ConditionalCheckFailedException e) {
            throw new StoreConflictException("could not " + what + ": it changed or exists already");
        } catch (ResourceNotFoundException e) {
            throw new StoreUnavailableException("DynamoDB did not " + what + ": a table or index is missing (the infra creates"
                    + " them; store.dynamodb.create-tables: true is for local use): " + e.getMessage(), e);
        } catch (SdkException e) {
            throw new StoreUnavailableException("DynamoDB did not " + what + ": " + e.getMessage(), e);
        }
    }
}
