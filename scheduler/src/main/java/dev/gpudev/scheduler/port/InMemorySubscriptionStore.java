package dev.gpudev.scheduler.port;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.gpudev.scheduler.model.Subscription;

/** Subscriptions for tests and the sandbox, with the durable store's conditional writes. */
public final class InMemorySubscriptionStore implements SubscriptionStore {
    private final Map<String, Subscription> items = new ConcurrentHashMap<>();

    @Override
    public List<Subscription> all() {
        return items.values().stream().sorted(Comparator.comparing(Subscription::createdAt).thenComparing(Subscription::id)).toList();
    }

    @Override
    public synchronized Subscription create(Subscription subscription) {
        Subscription stored = subscription.withVersion(1);
        if (items.putIfAbsent(subscription.id(), stored) != null) {
            throw new StoreConflictException("subscription " + subscription.id() + " exists already");
        }
        return stored;
    }

    @Override
    public synchronized Subscription update(Subscription subscription) {
        Subscription cur = items.get(subscription.id());
        if (cur == null || cur.version() != subscription.version()) {
            throw new StoreConflictException("subscription " + subscription.id() + " changed since version " + subscription.version());
        }
        Subscription next = subscription.withVersion(subscription.version() + 1);
        items.put(subscription.id(), next);
        return next;
    }

    @Override
    public void delete(String id) {
        items.remove(id);
    }
}
