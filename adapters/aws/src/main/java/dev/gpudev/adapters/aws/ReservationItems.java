package dev.gpudev.adapters.aws;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import dev.gpudev.scheduler.model.Booking;
import dev.gpudev.scheduler.model.Delivery;
import dev.gpudev.scheduler.model.EndReason;
import dev.gpudev.scheduler.model.GithubLogin;
import dev.gpudev.scheduler.model.IdleMark;
import dev.gpudev.scheduler.model.NodeName;
import dev.gpudev.scheduler.model.DiskName;
import dev.gpudev.scheduler.model.RequestOptions;
import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.model.ReservationId;
import dev.gpudev.scheduler.model.ReservationState;
import dev.gpudev.scheduler.model.ServerAccess;
import dev.gpudev.scheduler.model.UserId;

/**
 * A reservation as one item of the reservations table, and back. Besides the fields it writes three key attributes
 * for the indexes: {@code live} only while the reservation is live (a sparse index: the live query reads only live
 * items), {@code idHead} (the id's first character, so any id prefix is one query) and {@code ownerSort}
 * (request time in a fixed-width form that sorts as text, then the id: a user's history newest first).
 */
final class ReservationItems {
    static final String ID = "id";
    static final String VERSION = "version";
    static final String LIVE = "live";
    static final String LIVE_VALUE = "1";
    static final String ID_HEAD = "idHead";
    static final String OWNER = "owner";
    static final String REQUESTED_AT = "requestedAt";
    static final String OWNER_SORT = "ownerSort";
    static final String LIVE_INDEX = "live-index";
    static final String OWNER_INDEX = "owner-index";
    static final String PREFIX_INDEX = "id-prefix-index";
    /** Always written ({@link #NOTHING} for none), so an item without it is one written before deliveries were recorded. */
    static final String SHOWN = "shown";
    static final String BOOKING = "booking";
    static final String NOTHING = "NONE";
    static final String IDLE = "idle";

    private static final DateTimeFormatter SORTABLE =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(ZoneOffset.UTC);

    private ReservationItems() {
    }

    static String idHead(String idOrPrefix) {
        return idOrPrefix.substring(0, 1);
    }

    static Map<String, AttributeValue> toItem(Reservation r) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(ID, s(r.id().value()));
        item.put(ID_HEAD, s(idHead(r.id().value())));
        item.put(OWNER, s(r.owner().value()));
        item.put(VERSION, n(r.version()));
        if (r.live()) {
            item.put(LIVE, s(LIVE_VALUE));
        }
        item.put("gpuType", s(r.gpuType()));
        item.put("gpus", n(r.gpus()));
        item.put("duration", s(r.duration().toString()));
        item.put("extendedBy", s(r.extendedBy().toString()));
        item.put("jupyter", AttributeValue.fromBool(r.options().jupyter()));
        item.put("collaborators", list(r.options().collaborators().stream().map(GithubLogin::value).toList()));
        put(item, "name", r.options().name());
        put(item, "image", r.options().image());
        put(item, "disk", r.options().disk() == null ? null : r.options().disk().value());
        item.put("state", s(r.state().name()));
        item.put(REQUESTED_AT, s(instant(r.requestedAt())));
        item.put(OWNER_SORT, s(instant(r.requestedAt()) + "#" + r.id().value()));
        item.put("updatedAt", s(instant(r.updatedAt())));
        put(item, "endsAt", r.endsAt() == null ? null : instant(r.endsAt()));
        item.put("nodes", list(r.nodes().stream().map(NodeName::value).toList()));
        put(item, "endReason", r.endReason() == null ? null : r.endReason().name());
        item.put("detail", s(r.detail()));
        ServerAccess a = r.access();
        if (a != null) {
            Map<String, AttributeValue> m = new HashMap<>();
            m.put("host", s(a.host()));
            m.put("port", n(a.port()));
            m.put("user", s(a.user()));
            // the token in the URL must not outlive the server in the history
            put(m, "jupyterUrl", r.live() ? a.jupyterUrl() : null);
            put(m, "about", a.about());
            item.put("access", AttributeValue.fromM(m));
        }
        item.put("remindersSent", list(r.remindersSent().stream().map(Duration::toString).toList()));
        put(item, "chatRef", r.chatRef());
        item.put(SHOWN, s(r.shown() == null ? NOTHING : r.shown().name()));
        put(item, "reminded", r.reminded() == null ? null : r.reminded().toString());
        if (r.booking() != null) {
            item.put(BOOKING, booking(r.booking()));
        }
        if (!r.idle().equals(IdleMark.NONE)) {
            item.put(IDLE, idle(r.idle()));
        }
        return item;
    }

    /** {@code --disk}; absent in items written before disks could be asked for (and in those without one). */
    private static @Nullable DiskName disk(Map<String, AttributeValue> item) {
        String d = opt(item, "disk");
        return d == null ? null : new DiskName(d);
    }

    static Reservation fromItem(Map<String, AttributeValue> item) {
        Map<String, AttributeValue> a = item.containsKey("access") ? item.get("access").m() : Map.of();
        ServerAccess access = a.isEmpty() ? null
                : new ServerAccess(a.get("host").s(), Integer.parseInt(a.get("port").n()), a.get("user").s(), opt(a, "jupyterUrl"), opt(a, "about"));
        String endsAt = opt(item, "endsAt");
        String endReason = opt(item, "endReason");
        ReservationState state = ReservationState.valueOf(item.get("state").s());
        List<Duration> reminders = strings(item, "remindersSent").stream().map(Duration::parse).toList();
        String shown = opt(item, SHOWN);
        String reminded = opt(item, "reminded");
        return new Reservation(
                new ReservationId(item.get(ID).s()),
                new UserId(item.get(OWNER).s()),
                item.get("gpuType").s(),
                Integer.parseInt(item.get("gpus").n()),
                Duration.parse(item.get("duration").s()),
                Duration.parse(item.get("extendedBy").s()),
                new RequestOptions(item.get("jupyter").bool(),
                        strings(item, "collaborators").stream().map(GithubLogin::new).toList(),
                        opt(item, "name"), opt(item, "image"), disk(item)),
                state,
                Instant.parse(item.get(REQUESTED_AT).s()),
                Instant.parse(item.get("updatedAt").s()),
                endsAt == null ? null : Instant.parse(endsAt),
                strings(item, "nodes").stream().map(NodeName::new).toList(),
                endReason == null ? null : EndReason.valueOf(endReason),
                item.get("detail").s(),
                access,
                new Delivery(reminders, opt(item, "chatRef"),
                        // Older items: what they marked was sent at most once and is taken as delivered, so an upgrade re-sends nothing.
                        shown == null ? state : NOTHING.equals(shown) ? null : ReservationState.valueOf(shown),
                        reminded != null ? Duration.parse(reminded) : shown == null ? reminders.stream().min(Duration::compareTo).orElse(null) : null),
                idle(item),
                Long.parseLong(item.get(VERSION).n()),
                item.containsKey(BOOKING) ? booking(item.get(BOOKING).m()) : null);
    }

    /** A booking as one map attribute; an item without it (every item written before bookings) is no booking. */
    private static AttributeValue booking(Booking b) {
        return AttributeValue.fromM(Map.of("startsAt", s(b.startsAt().toString()),
                "nodes", list(b.nodes().stream().map(NodeName::value).toList()),
                "reminded", AttributeValue.fromBool(b.reminded()), "due", AttributeValue.fromBool(b.due()),
                "used", AttributeValue.fromBool(b.used())));
    }

    private static Booking booking(Map<String, AttributeValue> m) {
        return new Booking(Instant.parse(m.get("startsAt").s()), strings(m, "nodes").stream().map(NodeName::new).toList(),
                m.get("reminded").bool(), m.get("due").bool(), m.get("used").bool());
    }

    /** The idle policy's mark as one map; absent for a reservation never found idle (and in items written before it). */
    private static AttributeValue idle(IdleMark m) {
        Map<String, AttributeValue> v = new HashMap<>();
        put(v, "idleSince", m.idleSince() == null ? null : instant(m.idleSince()));
        put(v, "askedAt", m.askedAt() == null ? null : instant(m.askedAt()));
        put(v, "shownAt", m.shownAt() == null ? null : instant(m.shownAt()));
        put(v, "keptUntil", m.keptUntil() == null ? null : instant(m.keptUntil()));
        v.put("questions", n(m.questions()));
        return AttributeValue.fromM(v);
    }

    private static IdleMark idle(Map<String, AttributeValue> item) {
        if (!item.containsKey(IDLE)) {
            return IdleMark.NONE;
        }
        Map<String, AttributeValue> v = item.get(IDLE).m();
        return new IdleMark(time(v, "idleSince"), time(v, "askedAt"), time(v, "shownAt"), time(v, "keptUntil"),
                Integer.parseInt(v.get("questions").n()));
    }

    private static @Nullable Instant time(Map<String, AttributeValue> m, String name) {
        String t = opt(m, name);
        return t == null ? null : Instant.parse(t);
    }

    static String instant(Instant t) {
        return SORTABLE.format(t);
    }

    static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }

    private static AttributeValue list(List<String> values) {
        return AttributeValue.fromL(values.stream().map(AttributeValue::fromS).toList());
    }

    /** DynamoDB stores no empty strings in keys and no nulls: an absent value is an absent attribute. */
    private static void put(Map<String, AttributeValue> item, String name, @Nullable String value) {
        if (value != null) {
            item.put(name, s(value));
        }
    }

    private static @Nullable String opt(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null ? null : v.s();
    }

    private static List<String> strings(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null ? List.of() : v.l().stream().map(AttributeValue::s).toList();
    }
}
