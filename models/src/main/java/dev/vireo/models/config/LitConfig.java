package dev.vireo.models.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A locked-text model's shape (LiT, Zhai et al. 2022, here with the text side locked): a trainable
 * image tower, a pretrained sentence encoder that stays frozen ({@code textTower}, whose vectors are
 * {@code textWidth} wide), and a trainable projection on each side into the joint {@code embedDim}
 * space. Named configs are JSON data beside CLIP's ({@link #list()}, {@link #create(String)}).
 *
 * @param textProjectionLrScale the text projection's learning rate as a fraction of the run's: a
 *                              small one keeps the locked tower's geometry, which is what carries
 *                              names never seen in training
 */
public record LitConfig(String name, int embedDim, VisionConfig vision, String textTower, int textWidth,
                        double textProjectionLrScale) {
    private static final List<String> NAMES = List.of("lit-minilm");

    public LitConfig {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("LiT config: name is missing");
        ConfigChecks.positive(name, "embedDim", embedDim);
        ConfigChecks.positive(name, "textWidth", textWidth);
        if (vision == null) throw ConfigChecks.error(name + ": the vision section is missing");
        ConfigChecks.positive(name + ".vision", "layers", vision.layers());
        if (textTower == null || textTower.isBlank()) throw ConfigChecks.error(name + ": textTower is missing");
        if (embedDim > textWidth) {
            throw ConfigChecks.error(name + ": embedDim " + embedDim + " exceeds textWidth " + textWidth
                    + " (a projection of a locked tower cannot add directions it does not have)");
        }
        if (!(textProjectionLrScale >= 0)) {
            throw ConfigChecks.error(name + ": textProjectionLrScale must be zero or more, got " + textProjectionLrScale);
        }
    }

    /** Names of the built-in LiT configs. */
    public static List<String> list() {
        return NAMES;
    }

    /** Whether {@code nameOrPath} is a built-in LiT config name. */
    public static boolean isName(String nameOrPath) {
        return NAMES.contains(nameOrPath);
    }

    /** A built-in config by name, or an error listing the names there are. */
    public static LitConfig create(String name) {
        if (!NAMES.contains(name)) throw new IllegalArgumentException("unknown LiT config '" + name + "'; known: " + NAMES);
        try (InputStream in = LitConfig.class.getResourceAsStream("/dev/vireo/models/config/" + name + ".json")) {
            if (in == null) throw new IllegalStateException("config resource " + name + ".json is missing from the jar");
            return ClipConfig.MAPPER.readValue(in, LitConfig.class);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read built-in config " + name + ": " + e.getMessage(), e);
        }
    }

    public static LitConfig fromJson(Path file) {
        LitConfig config;
        try {
            config = ClipConfig.MAPPER.readValue(Files.readString(file), LitConfig.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("LiT config " + file + ": " + JsonErrors.oneLine(e), e);
        }
        if (config == null) throw new IllegalArgumentException("LiT config " + file + ": the JSON is null, not a config");
        return config;
    }

    public String toJson() {
        try {
            return ClipConfig.MAPPER.writeValueAsString(this);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
