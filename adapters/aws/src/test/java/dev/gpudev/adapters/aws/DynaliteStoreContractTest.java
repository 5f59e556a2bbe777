package dev.gpudev.adapters.aws;

import static dev.gpudev.scheduler.testing.Fixtures.ANA;
import static dev.gpudev.scheduler.testing.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import dev.gpudev.scheduler.model.GithubLogin;
import dev.gpudev.scheduler.model.NodeName;
import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.model.ReservationState;
import dev.gpudev.scheduler.model.ServerAccess;
import dev.gpudev.scheduler.model.UserLink;
import dev.gpudev.scheduler.port.ReservationStore;
import dev.gpudev.scheduler.port.StoreConflictException;
import dev.gpudev.scheduler.testing.Fixtures;

/** The contract against dynalite: the real SDK, wire protocol and condition expressions, without transactions or TTL. */
class DynaliteStoreContractTest extends ReservationStoreContract {
    private DynamoSettings settings;

    @Override
    ReservationStore newStore() {
        settings = Dynalite.freshSettings();
        DynamoDbClient client = Dynalite.client(settings);
        DynamoTables.create(client, settings);
        return new DynamoReservationStore(client, settings, Clock.systemUTC());
    }

    @Override
    ReservationStore reopened() {
        return new DynamoReservationStore(Dynalite.client(settings), settings, Clock.systemUTC());
    }

    @Test
    void aWriteRepeatedAfterItLandedIsThatWriteNotALostRace() {
        ReservationStore store = newStore();
        Reservation queued = store.create(Fixtures.queued("h100-0a09", ANA, 8, Duration.ofHours(1), T0));
        Reservation extended = queued.extended(Duration.ofHours(1));

        // as the SDK's retry after a lost answer: the same put at the same expected version
        Reservation first = store.update(extended);
        assertThat(store.update(extended)).isEqualTo(first);
        assertThat(store.find(queued.id())).contains(first);
        assertThatThrownBy(() -> store.update(queued.extended(Duration.ofHours(2)))).isInstanceOf(StoreConflictException.class);
    }

    @Test
    void anItemWrittenBeforeDeliveriesWereRecordedLoadsAsShownAndReminded() {
        DynamoDbClient client = Dynalite.client(settings);
        Reservation active = Fixtures.queued("h100-0a08", ANA, 8, Duration.ofHours(1), T0)
                .provisioning(List.of(new NodeName("h100-1")), T0).active(new ServerAccess("h", 22, "dev", null), T0)
                .withReminderSent(Duration.ofMinutes(30)).withReminderSent(Duration.ofMinutes(15)).withChatRef("D01:1.2").withVersion(4);
        Map<String, AttributeValue> old = new HashMap<>(ReservationItems.toItem(active));
        assertThat(old.remove(ReservationItems.SHOWN)).isNotNull();
        old.remove("reminded");
        client.putItem(p -> p.tableName(settings.reservationsTable()).item(old));

        assertThat(new DynamoReservationStore(client, settings, Clock.systemUTC()).find(active.id()))
                .contains(active.withShown(ReservationState.ACTIVE).withReminded(Duration.ofMinutes(15)));
    }

    @Test
    void aLinkStoredBeforeGithubIdsWereKeptLoadsWithTheIdUnknown() {
        DynamoSettings settings = Dynalite.freshSettings();
        DynamoDbClient client = Dynalite.client(settings);
        DynamoTables.create(client, settings);
        client.putItem(p -> p.tableName(settings.linksTable()).item(Map.of(
                DynamoTables.PK, AttributeValue.fromS("user#" + ANA.value()), "user", AttributeValue.fromS(ANA.value()),
                "login", AttributeValue.fromS("ana-gh"), "verified", AttributeValue.fromBool(true), "linkedAt", AttributeValue.fromS(T0.toString()))));
        DynamoReservationStore store = new DynamoReservationStore(client, settings, Clock.systemUTC());

        assertThat(store.link(ANA)).contains(new UserLink(ANA, new GithubLogin("ana-gh"), UserLink.UNKNOWN_ID, true, T0));

        store.saveLink(new UserLink(ANA, new GithubLogin("ana-gh"), 42, true, T0));
        assertThat(client.getItem(g -> g.tableName(settings.linksTable()).key(Map.of(DynamoTables.PK, AttributeValue.fromS("user#" + ANA.value()))))
                .item().get(DynamoReservationStore.GITHUB_ID)).isEqualTo(AttributeValue.fromN("42"));
    }
}
