package dev.vireo.models.config;

import dev.vireo.engine.io.OneLine;

import java.util.Set;

/** Validation shared by the config records: errors name the section and field, on one line whatever a config file put in them. */
final class ConfigChecks {
    /** Activations the towers know: QuickGELU (OpenAI CLIP), exact GELU (open_clip), GELU tanh form. */
    static final Set<String> ACTIVATIONS = Set.of("quick_gelu", "gelu", "gelu_tanh");

    private ConfigChecks() {}

    static void positive(String section, String field, int value) {
        if (value <= 0) throw error(section + "." + field + " must be positive, got " + value);
    }

    static void nonNegative(String section, String field, int value) {
        if (value < 0) throw error(section + "." + field + " must be zero or more, got " + value);
    }

    static void activation(String section, String activation) {
        if (!ACTIVATIONS.contains(activation)) {
            throw error(section + ".activation '" + activation + "' is not one of " + ACTIVATIONS);
        }
    }

    /** The MLP's hidden width, round(width · mlpRatio), must be at least 1 and fit an int. */
    static void mlpRatio(String section, int width, double mlpRatio) {
        long mlpWidth = Math.round(width * mlpRatio); // as mlpWidth() rounds it; NaN gives 0
        if (mlpWidth < 1 || mlpWidth > Integer.MAX_VALUE) {
            throw error(section + ".mlpRatio " + mlpRatio + " gives width " + width + " an MLP of " + mlpWidth + " units");
        }
    }

    static IllegalArgumentException error(String message) {
        return new IllegalArgumentException(OneLine.of(message));
    }
}
