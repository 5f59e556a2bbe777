package dev.gpudev.scheduler.command;

import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;

/** A parsed chat command. Slack and Discord share it; a switch over it without default breaks when one is added. */
public sealed interface Command {
    /** {@code reserve}: any missing part (type, count, duration) is asked for, e.g. in a modal. */
    record Reserve(@Nullable String gpuType, @Nullable Integer gpus, @Nullable Duration duration, boolean jupyter,
                   List<String> addUsers, @Nullable String name, @Nullable String image, @Nullable String disk) implements Command {
        public Reserve {
            addUsers = List.copyOf(addUsers);
        }

        public Reserve(@Nullable String gpuType, @Nullable Integer gpus, @Nullable Duration duration, boolean jupyter,
                       List<String> addUsers, @Nullable String name, @Nullable String image) {
            this(gpuType, gpus, duration, jupyter, addUsers, name, image, null);
        }

        public boolean complete() {
            return gpuType != null && gpus != null && duration != null;
        }
    }

    record ListReservations(boolean all) implements Command {
    }

    record Show(String id) implements Command {
    }

    /** {@code cancel [id]}: without an id, the user's only reservation, or a choice among several. */
    record Cancel(@Nullable String id) implements Command {
    }

    record Extend(@Nullable String id, Duration by) implements Command {
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
