package dev.gpudev.adapters.github;

import java.util.List;

import dev.gpudev.adapters.github.keys.KeyFingerprint;
import dev.gpudev.adapters.github.policy.Verdict;
import dev.gpudev.scheduler.model.UserLink;

/** What {@code /gpu whoami} shows: the link, the key fingerprints, and the access policy's verdict with its reason. */
public sealed interface Whoami {
    record NotLinked(String howToLink) implements Whoami {
    }

    /** {@code link} shows the account's login now, which may differ from the stored one after a rename. */
    record Known(UserLink link, Verdict verdict, List<KeyFingerprint> keys, String keysNote) implements Whoami {
        public Known {
            keys = List.copyOf(keys);
        }
    }

    /** Linked, but GitHub could not answer now and nothing fresh is cached. */
    record Unavailable(UserLink link, String reason) implements Whoami {
    }

    /** Plain text for any front-end that has no richer view. */
    default String text() {
        return switch (this) {
            case NotLinked n -> "Not linked to GitHub. " + n.howToLink();
            case Unavailable u -> "GitHub: " + account(u.link()) + ". " + u.reason();
            case Known k -> "GitHub: " + account(k.link()) + "\n"
                    + switch (k.verdict()) {
                        case Verdict.Allowed a -> "Access: allowed (" + a.reason() + ")";
                        case Verdict.Refused r -> "Access: refused (" + r.reason() + ")";
                    }
                    + "\nKeys: " + (k.keys().isEmpty() ? k.keysNote()
                    : String.join("\n  ", k.keys().stream().map(KeyFingerprint::toString).toList()));
        };
    }

    private static String account(UserLink link) {
        return link.login() + " (" + (link.idKnown() ? "id " + link.githubId() + ", " : "") + "linked " + link.linkedAt() + ")";
    }
}
