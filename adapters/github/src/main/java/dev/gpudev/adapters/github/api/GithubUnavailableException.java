package dev.gpudev.adapters.github.api;

/**
 * GitHub gave no usable answer: unreachable, 5xx, rate limited, or the bot's credentials were refused. The message is
 * for operators (logs); users are told only that GitHub is unreachable. It never contains a token.
 */
public class GithubUnavailableException extends RuntimeException {
    public GithubUnavailableException(String message) {
        super(message);
    }

    public GithubUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
