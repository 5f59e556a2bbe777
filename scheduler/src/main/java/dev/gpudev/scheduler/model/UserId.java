package dev.gpudev.scheduler.model;

/** A chat user: a Slack user id ({@code U012AB3CD}), a Discord id, or a sandbox name. */
public record UserId(String value) {
    public UserId {
        if (value.isBlank() || value.length() > 64 || !value.chars().allMatch(c -> c > ' ' && c < 127)) {
            throw new IllegalArgumentException("not a chat user id: '" + value + "'");
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
