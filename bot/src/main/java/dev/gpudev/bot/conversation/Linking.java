package dev.gpudev.bot.conversation;

import java.util.function.Consumer;

import dev.gpudev.scheduler.model.GithubLogin;
import dev.gpudev.scheduler.model.UserId;

/** Linking chat users to GitHub accounts, as the chat front-ends need it. The wiring adapts the GitHub adapter to it. */
public interface Linking {
    /** Starts linking: {@code prompt} gets what to show the user now, {@code done} the outcome later. */
    void start(UserId user, Consumer<String> prompt, Consumer<String> done);

    /** The link, the key fingerprints, and what the access policy says, with the reason. */
    String whoami(UserId user);

    /** Links without OAuth; for admins. Returns what happened. */
    String adminLink(UserId user, GithubLogin login);

    /** Drops cached keys and decisions of a user. Returns what happened. */
    String forget(UserId user);

    /** No GitHub integration: say so, and say what an admin can do. */
    Linking NONE = new Linking() {
        private static final String WHY = "GitHub linking is not configured on this bot (github.enabled is false).";

        @Override
        public void start(UserId user, Consumer<String> prompt, Consumer<String> done) {
            prompt.accept(WHY + " Ask an admin.");
        }

        @Override
        public String whoami(UserId user) {
            return "You are <@" + user + ">. " + WHY;
        }

        @Override
        public String adminLink(UserId user, GithubLogin login) {
            return WHY;
        }

        @Override
        public String forget(UserId user) {
            return WHY;
        }
    };
}
