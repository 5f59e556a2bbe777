package dev.gpudev.adapters.github.policy;

import java.util.Locale;
import java.util.Optional;

/** Repository roles in rising order, as GitHub names them (plus the legacy {@code pull}/{@code push}). */
public enum Permission {
    NONE, READ, TRIAGE, WRITE, MAINTAIN, ADMIN;

    public static Optional<Permission> parse(String name) {
        return switch (name.strip().toLowerCase(Locale.ROOT)) {
            case "none" -> Optional.of(NONE);
            case "read", "pull" -> Optional.of(READ);
            case "triage" -> Optional.of(TRIAGE);
            case "write", "push" -> Optional.of(WRITE);
            case "maintain" -> Optional.of(MAINTAIN);
            case "admin" -> Optional.of(ADMIN);
            default -> Optional.empty();
        };
    }

    public boolean atLeast(Permission other) {
        return compareTo(other) >= 0;
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
