package dev.gpudev.bot.slack;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import com.slack.api.methods.MethodsClient;
import com.slack.api.methods.SlackApiException;
import com.slack.api.methods.SlackApiTextResponse;
import org.jspecify.annotations.Nullable;

import dev.gpudev.bot.conversation.Message;
import dev.gpudev.bot.conversation.ReservationViews;
import dev.gpudev.bot.runtime.NoticeDelivery;
import dev.gpudev.scheduler.model.Notice;
import dev.gpudev.scheduler.port.DeliveryListener;
import dev.gpudev.scheduler.port.Notifier;

/**
 * Delivers notices as DMs: one message per reservation, updated in place, with a threaded reply for the moments
 * a person must not miss (ready, ended) and a fresh DM for each reminder. Ordering, retries (honouring Slack's
 * {@code Retry-After}) and reporting to the {@link DeliveryListener} are {@link NoticeDelivery}'s.
 */
public final class SlackNotifier implements Notifier, AutoCloseable {
    private final MethodsClient slack;
    /** Four stripes: different reservations' DMs go out in parallel. */
    private final NoticeDelivery delivery;
    private final Function<Notice, Message> view;

    /** @param attempts tries per notice; the wait before try n is {@code backoff * 2^n} unless Slack says {@code Retry-After} */
    public SlackNotifier(MethodsClient slack, int attempts, Duration backoff) {
        this(slack, attempts, backoff, ReservationViews::of);
    }

    /** @param view the message of a notice ({@link ReservationViews#of(Notice, dev.gpudev.bot.conversation.Survival)}) */
    public SlackNotifier(MethodsClient slack, int attempts, Duration backoff, Function<Notice, Message> view) {
        this.slack = slack;
        this.view = view;
        this.delivery = new NoticeDelivery("slack-notifier", 4, attempts, backoff, this::send, SlackNotifier::retryAfter);
    }

    /** Who hears about deliveries (with the message a restarted bot keeps updating) and about notices given up. */
    public void listen(DeliveryListener listener) {
        delivery.listen(listener);
    }

    @Override
    public void notify(Notice notice) {
        delivery.submit(notice);
    }

    private static Optional<Duration> retryAfter(Exception e) {
        return e instanceof SlackApiException s && s.getResponse().code() == 429
                ? Optional.of(Duration.ofSeconds(Long.parseLong(s.getResponse().header("Retry-After", "1"))))
                : Optional.empty();
    }

    /** @return the main message's reference, or null for a message of its own (a reminder, the idle question) */
    private @Nullable String send(Notice notice) throws Exception {
        var r = notice.reservation();
        if (notice.ownMessage()) {
            post(dm(r.owner().value()), view.apply(notice), null);
            return null;
        }
        String known = delivery.ref(r.id()).orElse(r.chatRef() == null ? "" : r.chatRef());
        Message m = view.apply(notice).replacing(known.isEmpty() ? null : known);
        String ref = "";
        if (m.replaces() != null) {
            String[] parts = m.replaces().split(":", 2);
            var updated = slack.chatUpdate(u -> u.channel(parts[0]).ts(parts[1]).text(BlockKit.slack(m.summary())).blocks(BlockKit.blocks(m)));
            if (!"message_not_found".equals(updated.getError())) {
                check(updated);
                ref = m.replaces();
                if (ReservationViews.alsoAsReply(notice)) {
                    post(parts[0], m, parts[1]);
                }
            }
        }
        if (ref.isEmpty()) {
            String channel = dm(r.owner().value());
            ref = channel + ":" + post(channel, m, null);
            delivery.remember(r.id(), ref);
        }
        return ref;
    }

    private String dm(String user) throws Exception {
        return check(slack.conversationsOpen(o -> o.users(List.of(user)))).getChannel().getId();
    }

    /** A notice with its blocks; a reply in the thread as text only (it is there to notify). */
    private String post(String channel, Message m, @Nullable String threadTs) throws Exception {
        return check(slack.chatPostMessage(p -> threadTs == null ? p.channel(channel).text(BlockKit.slack(m.summary())).blocks(BlockKit.blocks(m))
                : p.channel(channel).text(BlockKit.slack(m.summary())).threadTs(threadTs))).getTs();
    }

    private static <T extends SlackApiTextResponse> T check(T response) {
        if (!response.isOk()) {
            throw new IllegalStateException("Slack answered " + response.getError());
        }
        return response;
    }

    @Override
    public void close() {
        delivery.close();
    }
}
