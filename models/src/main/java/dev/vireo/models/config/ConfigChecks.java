package dev.vireo.models.config;

import java.util.Set;

/** Validation shared by the config records: errors name the section and field. */
final class ConfigChecks {
    /** Activations the towers know: QuickGELU (OpenAI CLIP), exact GELU (open_clip), GELU tanh form. */
    static final Set<String> ACTIVATIONS = Set.of("quick_gelu", "gelu", "gelu_tanh");

    private ConfigChecks() {}

    static void positive(String section, String field, int value) {
        if (value <= 0) throw new IllegalArgumentException(section + "." + field + " must be positive, got " + value);
    }

    static void activation(String section, String activation) {
        if (!ACTIVATIONS.contains(activation)) {
            throw new IllegalArgumentException(section + ".activation '" + activation + "' is not one of " + ACTIVATIONS);
        }
    }
}
