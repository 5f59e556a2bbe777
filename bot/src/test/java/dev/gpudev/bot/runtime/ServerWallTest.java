package dev.gpudev.bot.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.gpudev.scheduler.model.Notice;
import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.model.UserId;
import dev.gpudev.scheduler.port.Cluster;
import dev.gpudev.scheduler.port.Notifier;
import dev.gpudev.scheduler.testing.Fixtures;

class ServerWallTest {
    private final List<String> told = new ArrayList<>();
    private final List<String> chat = new ArrayList<>();
    /** Only {@code tell} is expected of the cluster here. */
    private final Cluster cluster = (Cluster) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Cluster.class},
            (proxy, method, args) -> {
                if (method.getName().equals("tell")) {
                    told.add(((Reservation) args[0]).id() + ": " + args[1]);
                    return null;
                }
                throw new UnsupportedOperationException(method.getName());
            });
    private final Notifier wall = ServerWall.alongside(notice -> chat.add(notice.getClass().getSimpleName()), cluster);

    private static final Reservation R = Fixtures.queued("h100-0a1b", new UserId("U0ANA"), 1, Duration.ofHours(1),
            Instant.parse("2026-12-05T08:00:00Z"));

    @Test
    void aReminderIssuedAgainForChatIsWrittenIntoTheServerOnce() {
        Reservation reminded = R.withReminderSent(Duration.ofMinutes(30));
        wall.notify(new Notice.Reminder(reminded, Duration.ofMinutes(30), false));
        wall.notify(new Notice.Reminder(reminded, Duration.ofMinutes(30), false));

        assertThat(chat).hasSize(2);
        assertThat(told).singleElement().asString().startsWith(R.id() + ": ");
    }

    @Test
    void theNextReminderAndOneAfterTheEndAreWrittenAgain() {
        Reservation first = R.withReminderSent(Duration.ofMinutes(30));
        wall.notify(new Notice.Reminder(first, Duration.ofMinutes(30), false));
        wall.notify(new Notice.Reminder(first.withReminderSent(Duration.ofMinutes(15)), Duration.ofMinutes(15), false));
        wall.notify(new Notice.Ended(first));
        wall.notify(new Notice.Reminder(first, Duration.ofMinutes(30), false));

        assertThat(told).hasSize(3);
    }
}
