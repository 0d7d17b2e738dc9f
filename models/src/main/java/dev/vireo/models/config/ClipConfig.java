package dev.vireo.models.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * A CLIP model's shape: the joint embedding width and the two towers. Named configs live as JSON
 * data in {@code dev/vireo/models/config/} ({@link #list()}, {@link #create(String)}); custom ones
 * load from a file with the same fields ({@link #fromJson(Path)}).
 *
 * @param logitBias whether the model has a learnable logit bias beside its temperature (SigLIP's;
 *                  written to JSON only when true, so configs without one read and write as before)
 */
public record ClipConfig(String name, int embedDim, VisionConfig vision, TextConfig text,
                         @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean logitBias) {
    private static final List<String> NAMES = List.of("tiny", "small", "ViT-B-32", "ViT-B-16", "ViT-L-14");
    static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(SerializationFeature.INDENT_OUTPUT);

    public ClipConfig {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("config: name is missing");
        ConfigChecks.positive(name, "embedDim", embedDim);
        if (vision == null) throw ConfigChecks.error(name + ": the vision section is missing");
        if (text == null) throw ConfigChecks.error(name + ": the text section is missing");
        ConfigChecks.positive(name + ".vision", "layers", vision.layers());
    }

    /** A CLIP without a logit bias. */
    public ClipConfig(String name, int embedDim, VisionConfig vision, TextConfig text) {
        this(name, embedDim, vision, text, false);
    }

    /** This config with or without a learnable logit bias. */
    /**
     * A lower bound on the parameters a model of this config holds (embeddings, positions, and each block's
     * attention and MLP weights; biases and norms left out), computed without building it: a checkpoint
     * with fewer values cannot belong to this config, whatever its names.
     */
    public double minimumParameters() {
        double wt = text.width(), wv = vision.width(), grid = vision.grid();
        double textPart = (double) text.vocabSize() * wt + (double) text.contextLength() * wt
                + text.layers() * (4 * wt * wt + 2 * wt * text.mlpWidth());
        double visionPart = (double) vision.patchChannels() * vision.patchSize() * vision.patchSize() * wv + (grid * grid + 1) * wv
                + vision.layers() * (4 * wv * wv + 2 * wv * vision.mlpWidth());
        return textPart + visionPart;
    }

    /**
     * Refuses, before anything is allocated, a config that needs more values than a checkpoint holds
     * ({@code held}): an oversized or mistaken config.json fails in one line instead of allocating gigabytes.
     */
    public void checkFits(long held, String source) {
        double needed = minimumParameters();
        if (needed > held) {
            throw ConfigChecks.error(String.format(Locale.ROOT,
                    "%s: the config (%s) needs at least %.0f weights but the checkpoint holds %d: the config does not"
                            + " belong to these weights", source, name, needed, held));
        }
    }

    public ClipConfig withLogitBias(boolean bias) {
        return new ClipConfig(name, embedDim, vision, text, bias);
    }

    /** Names of the built-in configs. */
    public static List<String> list() {
        return NAMES;
    }

    /** A built-in config by name, or an error listing the names there are. */
    public static ClipConfig create(String name) {
        if (!NAMES.contains(name)) throw new IllegalArgumentException("unknown model config '" + name + "'; known: " + NAMES);
        try (InputStream in = ClipConfig.class.getResourceAsStream("/dev/vireo/models/config/" + name + ".json")) {
            if (in == null) throw new IllegalStateException("config resource " + name + ".json is missing from the jar");
            return MAPPER.readValue(in, ClipConfig.class);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read built-in config " + name + ": " + e.getMessage(), e);
        }
    }

    /** A built-in name, or the path of a JSON file with the same fields. */
    public static ClipConfig resolve(String nameOrPath) {
        if (NAMES.contains(nameOrPath)) return create(nameOrPath);
        Path p = Path.of(nameOrPath);
        if (Files.isRegularFile(p)) return fromJson(p);
        throw new IllegalArgumentException("unknown model config '" + nameOrPath + "': not a built-in name " + NAMES + " nor a JSON file");
    }

    public static ClipConfig fromJson(Path file) {
        ClipConfig config;
        try {
            config = MAPPER.readValue(file.toFile(), ClipConfig.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("config " + file + ": " + JsonErrors.oneLine(e), e);
        }
        if (config == null) throw new IllegalArgumentException("config " + file + ": the JSON is null, not a config");
        return config;
    }

    public static ClipConfig fromJson(String json) {
        ClipConfig config;
        try {
            config = MAPPER.readValue(json, ClipConfig.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("config JSON: " + JsonErrors.oneLine(e), e);
        }
        if (config == null) throw new IllegalArgumentException("config JSON: the JSON is null, not a config");
        return config;
    }

    public String toJson() {
        try {
            return MAPPER.writeValueAsString(this);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
