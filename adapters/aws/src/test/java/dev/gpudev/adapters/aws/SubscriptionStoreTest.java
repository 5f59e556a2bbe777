package dev.gpudev.adapters.aws;

import static dev.gpudev.scheduler.testing.Fixtures.ANA;
import static dev.gpudev.scheduler.testing.Fixtures.BO;
import static dev.gpudev.scheduler.testing.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.FieldSource;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import dev.gpudev.scheduler.model.Subscription;
import dev.gpudev.scheduler.port.InMemorySubscriptionStore;
import dev.gpudev.scheduler.port.StoreConflictException;
import dev.gpudev.scheduler.port.SubscriptionStore;

/** The notify store's contract, in memory and against dynalite (the real SDK, conditions and set updates). */
class SubscriptionStoreTest {
    private static final Subscription BOS = Subscription.pending("n-0000000b", BO, "h100", 8, Duration.ofHours(2), T0, Duration.ofDays(1));
    private static final Subscription ANAS = Subscription.pending("n-0000000a", ANA, "h100", 4, Duration.ofMinutes(90),
            T0.plusSeconds(1), Duration.ofDays(1));

    /** A store, how a restarted replica opens the same one, and its tables (null in memory). */
    record Opened(SubscriptionStore store, Supplier<SubscriptionStore> reopened, @Nullable DynamoSettings settings) {
    }

    static final List<Arguments> STORES = List.of(
            Arguments.argumentSet("in memory", (Supplier<Opened>) () -> {
                InMemorySubscriptionStore store = new InMemorySubscriptionStore();
                return new Opened(store, () -> store, null);
            }),
            Arguments.argumentSet("dynalite", (Supplier<Opened>) () -> {
                DynamoSettings settings = Dynalite.freshSettings();
                DynamoDbClient client = Dynalite.client(settings);
                DynamoTables.create(client, settings);
                return new Opened(new DynamoSubscriptionStore(client, settings),
                        () -> new DynamoSubscriptionStore(Dynalite.client(settings), settings), settings);
            }));

    @ParameterizedTest
    @FieldSource("STORES")
    void keepsWhatWasWrittenConditionally(Supplier<Opened> open) {
        Opened opened = open.get();
        SubscriptionStore store = opened.store();
        Subscription created = store.create(BOS);
        store.create(ANAS);
        assertThat(created.version()).isEqualTo(1);
        assertThatThrownBy(() -> store.create(BOS)).isInstanceOf(StoreConflictException.class);

        Subscription fired = store.update(created.fired(T0.plusSeconds(60), Duration.ofDays(1)));
        assertThat(fired.version()).isEqualTo(2);
        assertThatThrownBy(() -> store.update(created.withDelivered())).as("written from an old version").isInstanceOf(StoreConflictException.class);

        assertThat(opened.reopened().get().all()).containsExactly(fired, ANAS.withVersion(1));
        store.delete(ANAS.id());
        store.delete(ANAS.id());
        assertThat(store.all()).containsExactly(fired);
    }

    @ParameterizedTest
    @FieldSource("STORES")
    void anIndexedIdWhoseItemIsGoneIsSkippedAndDropped(Supplier<Opened> open) {
        Opened opened = open.get();
        SubscriptionStore store = opened.store();
        store.create(BOS);
        DynamoSettings settings = opened.settings();
        if (settings != null) {
            // a crash after the index write and before the item's: the index names an item that is not there
            Dynalite.client(settings).deleteItem(d -> d.tableName(settings.linksTable())
                    .key(Map.of(DynamoTables.PK, AttributeValue.fromS("notify#" + BOS.id()))));
            assertThat(store.all()).isEmpty();
            assertThat(Dynalite.client(settings).getItem(g -> g.tableName(settings.linksTable()).consistentRead(true)
                    .key(Map.of(DynamoTables.PK, AttributeValue.fromS(DynamoSubscriptionStore.INDEX)))).item())
                    .doesNotContainKey(DynamoSubscriptionStore.IDS);
        } else {
            store.delete(BOS.id());
            assertThat(store.all()).isEmpty();
        }
    }
}
