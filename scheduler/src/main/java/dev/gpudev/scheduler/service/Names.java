package dev.gpudev.scheduler.service;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import dev.gpudev.scheduler.engine.SchedulerState;
import dev.gpudev.scheduler.model.UserId;

/** A {@code --name} is usable instead of an id: one word, and unique among the owner's live reservations. */
final class Names {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,39}");

    private Names() {
    }

    /** Why {@code name} cannot be given to a new reservation of {@code owner}, or empty. */
    static Optional<String> refusal(SchedulerState state, UserId owner, @Nullable String name) {
        if (name == null) {
            return Optional.empty();
        }
        if (!NAME.matcher(name).matches()) {
            return Optional.of("The name `" + name + "` is not one I can use instead of an id: up to 40 letters, digits, `.`, `_`"
                    + " or `-`, starting with a letter or digit, e.g. `--name llama-ft`.");
        }
        String wanted = name.toLowerCase(Locale.ROOT);
        return state.live().values().stream()
                .filter(r -> r.owner().equals(owner) && r.options().name() != null
                        && r.options().name().toLowerCase(Locale.ROOT).equals(wanted))
                .findFirst()
                .map(r -> "You already have a live reservation named `" + name + "` (" + r.id() + "); choose another name,"
                        + " or reserve without `--name`.");
    }
}
