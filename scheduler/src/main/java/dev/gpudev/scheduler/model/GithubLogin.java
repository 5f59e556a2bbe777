package dev.gpudev.scheduler.model;

import java.util.Locale;
import java.util.regex.Pattern;

/** A GitHub login: 1-39 letters, digits or single inner hyphens. Compared case-insensitively, as GitHub does. */
public record GithubLogin(String value) {
    private static final Pattern FORMAT = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}");

    public GithubLogin {
        if (!FORMAT.matcher(value).matches()) {
            throw new IllegalArgumentException("'" + value + "' is not a GitHub login (letters, digits and single hyphens, at most 39)");
        }
    }

    public static boolean isValid(String value) {
        return FORMAT.matcher(value).matches();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GithubLogin g && g.value.equalsIgnoreCase(value);
    }

    @Override
    public int hashCode() {
        return value.toLowerCase(Locale.ROOT).hashCode();
    }

    @Override
    public String toString() {
        return value;
    }
}
