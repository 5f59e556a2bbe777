package dev.gpudev.scheduler.idle;

import java.util.Map;

/** The idle rule per GPU type (a type without its own rule follows the default) and the exemptions. */
public record IdlePolicy(IdleRule defaults, Map<String, IdleRule> perType, Exemptions exemptions) {
    public static final IdlePolicy OFF = new IdlePolicy(IdleRule.OFF, Map.of(), Exemptions.NONE);

    public IdlePolicy {
        perType = Map.copyOf(perType);
    }

    public IdleRule rule(String gpuType) {
        return perType.getOrDefault(gpuType, defaults);
    }
}
