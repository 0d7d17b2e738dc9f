package dev.vireo.models.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * An image captioner's shape, BLIP's captioning model in small: a ViT image side whose tokens the
 * text decoder cross-attends to, and a BERT decoder (causal self-attention, cross-attention, MLP in
 * every layer; no token types, no pooler; its LM head tied to the word embeddings). Built-in
 * {@code caption-mini} (the shapes world's 48-px images), or a JSON file with the same fields.
 */
public record CaptionConfig(String name, VisionConfig vision, BertConfig text) {
    private static final List<String> NAMES = List.of("caption-mini");

    public CaptionConfig {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("caption config: name is missing");
        if (vision == null) throw ConfigChecks.error(name + ": the vision section is missing");
        if (text == null) throw ConfigChecks.error(name + ": the text section is missing");
        ConfigChecks.positive(name + ".vision", "layers", vision.layers());
        if (text.typeVocabSize() != 0 || text.pooler()) {
            throw ConfigChecks.error(name + ": a text decoder has no token types and no pooler (typeVocabSize 0, pooler false)");
        }
    }

    /** This config with the vocabulary of its tokenizer. */
    public CaptionConfig withVocabSize(int vocabSize) {
        BertConfig t = text;
        return new CaptionConfig(name, vision, new BertConfig(vocabSize, t.hidden(), t.layers(), t.heads(), t.intermediate(), t.maxPositions(),
                t.typeVocabSize(), t.layerNormEps(), t.activation(), t.pooler()));
    }

    /** A lower bound on the weights a model of this config holds: a checkpoint with fewer cannot belong to it. */
    public void checkFits(long held, String source) {
        double w = vision.width(), c = text.hidden();
        double needed = 3.0 * vision.patchSize() * vision.patchSize() * w + vision.tokens() * w + vision.layers() * (4 * w * w + 2 * w * vision.mlpWidth())
                + text.minimumParameters() + text.layers() * (2 * c * w + 2 * c * c);
        if (needed > held) {
            throw ConfigChecks.error(String.format(Locale.ROOT,
                    "%s: the caption config (%s) needs at least %.0f weights but the checkpoint holds %d: the config does not belong to these weights",
                    source, name, needed, held));
        }
    }

    public static List<String> list() {
        return NAMES;
    }

    /** A built-in name, or the path of a JSON file with the same fields. */
    public static CaptionConfig resolve(String nameOrPath) {
        if (NAMES.contains(nameOrPath)) {
            try (InputStream in = CaptionConfig.class.getResourceAsStream("/dev/vireo/models/config/" + nameOrPath + ".json")) {
                if (in == null) throw new IllegalStateException("config resource " + nameOrPath + ".json is missing from the jar");
                return ClipConfig.MAPPER.readValue(in, CaptionConfig.class);
            } catch (IOException e) {
                throw new IllegalStateException("cannot read built-in config " + nameOrPath + ": " + e.getMessage(), e);
            }
        }
        Path p = Path.of(nameOrPath);
        if (!p.toFile().isFile()) {
            throw new IllegalArgumentException("unknown caption config '" + nameOrPath + "': not a built-in name " + NAMES + " nor a JSON file");
        }
        return fromJson(p);
    }

    public static CaptionConfig fromJson(Path file) {
        try {
            CaptionConfig config = ClipConfig.MAPPER.readValue(file.toFile(), CaptionConfig.class);
            if (config == null) throw new IllegalArgumentException("caption config " + file + ": the JSON is null, not a config");
            return config;
        } catch (IOException e) {
            throw new IllegalArgumentException("caption config " + file + ": " + JsonErrors.oneLine(e), e);
        }
    }

    public String toJson() {
        try {
            return ClipConfig.MAPPER.writeValueAsString(this);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
