package dev.gpudev.scheduler.usage;

import dev.gpudev.scheduler.model.UserId;

/** Whose rows a report shows: everyone's (admins), one person's, or a team's (admins). */
public sealed interface UsageScope {
    record Everyone() implements UsageScope {
    }

    record Person(UserId user) implements UsageScope {
    }

    record Team(String name) implements UsageScope {
    }
}
