package dev.gpudev.scheduler.command;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import dev.gpudev.scheduler.model.ReservationState;

/** A parsed chat command. Slack and Discord share it; a switch over it without default breaks when one is added. */
public sealed interface Command {
    /**
     * {@code reserve}: any missing part (type, count, duration) is asked for, e.g. in a modal.
     *
     * @param at   a booking's start as written ({@code --at "thu 10:00"}), read in the user's time zone; null: start when free
     * @param disk one of the user's disks to mount ({@code --disk NAME}), or null
     */
    record Reserve(@Nullable String gpuType, @Nullable Integer gpus, @Nullable Duration duration, boolean jupyter,
                   List<String> addUsers, @Nullable String name, @Nullable String image, @Nullable String at,
                   @Nullable String disk) implements Command {
        public Reserve {
            addUsers = List.copyOf(addUsers);
        }

        public Reserve(@Nullable String gpuType, @Nullable Integer gpus, @Nullable Duration duration, boolean jupyter,
                       List<String> addUsers, @Nullable String name, @Nullable String image) {
            this(gpuType, gpus, duration, jupyter, addUsers, name, image, null, null);
        }

        public Reserve at(@Nullable String start) {
            return new Reserve(gpuType, gpus, duration, jupyter, addUsers, name, image, start, disk);
        }

        public boolean complete() {
            return gpuType != null && gpus != null && duration != null;
        }
    }

    /**
     * {@code list}: {@code all} is everyone's live ones; {@code states} keeps only those states (empty: any);
     * {@code user} (a mention, admins) lists someone else's; {@code page} counts from 1 through the history.
     */
    record ListReservations(boolean all, Set<ReservationState> states, @Nullable String user, int page) implements Command {
        public ListReservations {
            states = Set.copyOf(states);
            if (page < 1) {
                throw new IllegalArgumentException("pages count from 1");
            }
        }

        public ListReservations(boolean all) {
            this(all, Set.of(), null, 1);
        }
    }

    /** {@code cancel --all}: every live reservation of the asker, after a confirmation. */
    record CancelAll() implements Command {
    }

    /** {@code logs <id> [lines]}: the end of the server's log and its pod's events. */
    record Logs(String id, int lines) implements Command {
    }

    /** {@code ssh-config}: an {@code ~/.ssh/config} file for every live server of the asker. */
    record SshConfig() implements Command {
    }

    /**
     * {@code edit <id> --add-user <login> | --remove-user <login> | --jupyter on|off}: a change to a live reservation;
     * {@code jupyter} is null when not asked for.
     */
    record Edit(String id, List<String> addUsers, List<String> removeUsers, @Nullable Boolean jupyter) implements Command {
        public Edit {
            addUsers = List.copyOf(addUsers);
            removeUsers = List.copyOf(removeUsers);
        }
    }

    record Show(String id) implements Command {
    }

    /** {@code cancel [id]}: without an id, the user's only reservation, or a choice among several. */
    record Cancel(@Nullable String id) implements Command {
    }

    record Extend(@Nullable String id, Duration by) implements Command {
    }

    /** {@code bookings [type]}: the user's bookings, or everyone's for a GPU type. */
    record Bookings(@Nullable String gpuType) implements Command {
    }

    record Availability() implements Command {
    }

    record Queue() implements Command {
    }

    record Link() implements Command {
    }

    record Whoami() implements Command {
    }

    record Help() implements Command {
    }

    record Admin(AdminAction action) implements Command {
    }

    /**
     * {@code usage [week|month] [@user|team:NAME] [csv]}: GPU-hours, busy share, waits and reclaimed idle hours.
     *
     * @param month  the last 30 days instead of the last 7
     * @param user   a mention or id, or null
     * @param team   a team name, or null
     * @param csv    an admin's export as a CSV file
     */
    record Usage(boolean month, @Nullable String user, @Nullable String team, boolean csv) implements Command {
    }

    /** {@code timeline [type]}: a picture of the nodes' occupancy, past and planned. */
    record Timeline(@Nullable String gpuType) implements Command {
    }

    /** {@code notify ...}: "tell me when it's free" (see {@link NotifyAction}, docs/notify.md). */
    record Notify(NotifyAction action) implements Command {
    }

    /** {@code disk ...}: the user's own disks and their snapshots. */
    record Disk(DiskAction action) implements Command {
    }

    /** Text that is not a command: {@code problem} says what was wrong and what would work. */
    record Invalid(String input, String problem) implements Command {
    }

    sealed interface AdminAction {
        record Drain(String node) implements AdminAction {
        }

        record Undrain(String node) implements AdminAction {
        }

        record ForceCancel(String id) implements AdminAction {
        }

        record Broadcast(String text) implements AdminAction {
        }

        /** Links a chat user (a mention such as {@code <@U123|ana>} or an id) to a GitHub login without OAuth. */
        record LinkUser(String user, String login) implements AdminAction {
        }

        record Forget(String user) implements AdminAction {
        }

        /**
         * Exempts from the idle policy ({@code on}) or ends an exemption: {@code target} is a user (a mention or an id),
         * {@code team:NAME} or a reservation id; null lists the exemptions.
         */
        record Exempt(@Nullable String target, boolean on) implements AdminAction {
        }
    }

    /** What {@code /gpu disk} does; names are checked by the use case (a bad one is refused with the rule). */
    sealed interface DiskAction {
        record ListDisks() implements DiskAction {
        }

        record Create(String name, long sizeGib) implements DiskAction {
        }

        /** {@code confirmed}: the owner pressed "Delete" under the question; before that, nothing is deleted. */
        record Delete(String name, boolean confirmed) implements DiskAction {
        }

        record Snapshot(String name) implements DiskAction {
        }

        record Snapshots(String name) implements DiskAction {
        }

        /** {@code snapshot} null: the newest ready one. */
        record Restore(String name, @Nullable String snapshot) implements DiskAction {
        }
    }
}
