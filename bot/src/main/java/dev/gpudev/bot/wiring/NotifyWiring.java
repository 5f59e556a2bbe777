package dev.gpudev.bot.wiring;

import java.security.SecureRandom;
import java.time.Duration;

import io.helidon.config.Config;

import dev.gpudev.adapters.aws.DynamoSubscriptionStore;
import dev.gpudev.scheduler.app.Notifications;
import dev.gpudev.scheduler.port.InMemorySubscriptionStore;
import dev.gpudev.scheduler.port.SubscriptionStore;
import dev.gpudev.scheduler.service.ReservationService;

/** {@code /gpu notify}: its store beside the reservations' ({@code store.kind}) and its {@code notify.*} settings. */
public final class NotifyWiring {
    private NotifyWiring() {
    }

    public static Notifications notifications(Config config, String storeKind, ReservationService service) {
        return new Notifications(service, store(storeKind, config.get("store.dynamodb")), settings(config.get("notify")), new SecureRandom());
    }

    static SubscriptionStore store(String kind, Config dynamodb) {
        return switch (kind) {
            case "dynamodb" -> DynamoSubscriptionStore.open(Wiring.dynamo(dynamodb));
            default -> new InMemorySubscriptionStore();
        };
    }

    static Notifications.Settings settings(Config notify) {
        Notifications.Settings d = Notifications.Settings.DEFAULTS;
        return new Notifications.Settings(notify.get("max-per-user").asInt().orElse(d.maxPerUser()),
                notify.get("ttl").as(Duration.class).orElse(d.ttl()));
    }
}
