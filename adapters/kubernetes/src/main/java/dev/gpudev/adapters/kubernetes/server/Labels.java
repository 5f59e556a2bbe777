package dev.gpudev.adapters.kubernetes.server;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import io.fabric8.kubernetes.api.model.HasMetadata;

import dev.gpudev.scheduler.model.GithubLogin;
import dev.gpudev.scheduler.model.Reservation;
import dev.gpudev.scheduler.model.ReservationId;

/** The labels that mark an object as a server of this bot, and the names of its objects. */
public final class Labels {
    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    public static final String BOT = "gpu-dev-bot";
    public static final String RESERVATION = "gpu-dev/reservation";
    public static final String OWNER = "gpu-dev/owner";
    public static final String GPU_TYPE = "gpu-dev/gpu-type";
    public static final String RANK = "gpu-dev/rank";
    public static final String HOME_OF = "gpu-dev/home-of";
    /** On claims and snapshots: which of the owner's disks ({@code home} or a name). */
    public static final String DISK = "gpu-dev/disk";
    /** On claims: a restore or a move makes the next generation of a disk; the newest is the disk. */
    public static final String GENERATION = "gpu-dev/generation";
    /** On snapshots: why it was taken (MANUAL, END, MOVE, BEFORE_RESTORE). */
    public static final String SNAPSHOT_KIND = "gpu-dev/snapshot-kind";
    /** On snapshots: when it was asked for (an instant), the order retention keeps. */
    public static final String TAKEN_AT = "gpu-dev/taken-at";
    /** The chat user id of the owner; an annotation, since Slack ids are not always valid label values. */
    public static final String OWNER_CHAT = "gpu-dev/owner-chat-id";

    private Labels() {
    }

    /** Selects every object this bot made, of any reservation. */
    public static Map<String, String> managed() {
        return Map.of(MANAGED_BY, BOT);
    }

    /** Selects the objects of one reservation. */
    public static Map<String, String> of(ReservationId id) {
        return Map.of(MANAGED_BY, BOT, RESERVATION, id.value());
    }

    static Map<String, String> server(Reservation r, GithubLogin owner) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(MANAGED_BY, BOT);
        labels.put(RESERVATION, r.id().value());
        labels.put(OWNER, owner.value().toLowerCase(Locale.ROOT));
        labels.put(GPU_TYPE, r.gpuType());
        return labels;
    }

    /** The reservation an object belongs to, if this bot made it. */
    public static Optional<ReservationId> reservationOf(HasMetadata o) {
        Map<String, String> labels = o.getMetadata() == null ? null : o.getMetadata().getLabels();
        if (labels == null || !BOT.equals(labels.get(MANAGED_BY)) || labels.get(RESERVATION) == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(new ReservationId(labels.get(RESERVATION)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    public static String podName(ReservationId id, int rank) {
        return "gpu-dev-" + id.value() + "-" + rank;
    }

    /** Name of the SSH Service and of the Secret. */
    public static String serverName(ReservationId id) {
        return "gpu-dev-" + id.value();
    }

    public static String headlessName(ReservationId id) {
        return "gpu-dev-" + id.value() + "-nodes";
    }

    /** Name of the NetworkPolicy that lets the pods of a multi-node server reach each other. */
    public static String peersName(ReservationId id) {
        return "gpu-dev-peers-" + id.value();
    }

    public static String homeClaimName(GithubLogin login) {
        return "gpu-dev-home-" + login.value().toLowerCase(Locale.ROOT);
    }
}
