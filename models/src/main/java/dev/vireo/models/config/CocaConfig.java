package dev.vireo.models.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * A CoCa-style model (Yu et al. 2022, "CoCa: Contrastive Captioners are Image-Text Foundation
 * Models"): a ViT whose tokens an attentional pooler reads with {@code captionQueries} learned
 * queries for the decoder and one more for the contrastive image embedding; a causal text decoder
 * whose first {@code unimodalLayers} layers read the text alone (a learned [CLS]-like token after
 * the caption gives the contrastive text embedding) and whose remaining layers also cross-attend to
 * the caption queries' outputs; both embeddings projected to {@code embedDim}. {@code text.layers}
 * counts all the decoder's layers; {@code poolerHeads} divides the vision width.
 */
public record CocaConfig(String name, VisionConfig vision, BertConfig text, int unimodalLayers, int captionQueries, int poolerHeads,
                         int embedDim) {
    private static final List<String> NAMES = List.of("coca-mini");

    public CocaConfig {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("coca config: name is missing");
        if (vision == null) throw ConfigChecks.error(name + ": the vision section is missing");
        if (text == null) throw ConfigChecks.error(name + ": the text section is missing");
        ConfigChecks.positive(name + ".vision", "layers", vision.layers());
        if (text.typeVocabSize() != 0 || text.pooler()) {
            throw ConfigChecks.error(name + ": a text decoder has no token types and no pooler (typeVocabSize 0, pooler false)");
        }
        ConfigChecks.positive(name, "unimodalLayers", unimodalLayers);
        if (unimodalLayers >= text.layers()) {
            throw ConfigChecks.error(name + ": unimodalLayers " + unimodalLayers + " leaves no multimodal layer of the decoder's "
                    + text.layers() + " (text.layers counts both)");
        }
        ConfigChecks.positive(name, "captionQueries", captionQueries);
        ConfigChecks.positive(name, "poolerHeads", poolerHeads);
        if (vision.width() % poolerHeads != 0) {
            throw ConfigChecks.error(name + ": the vision width " + vision.width() + " is not a multiple of poolerHeads " + poolerHeads);
        }
        ConfigChecks.positive(name, "embedDim", embedDim);
    }

    /** The decoder's layers that cross-attend to the caption queries. */
    public int multimodalLayers() {
        return text.layers() - unimodalLayers;
    }

    /** This config with the vocabulary of its tokenizer. */
    public CocaConfig withVocabSize(int vocabSize) {
        BertConfig t = text;
        return new CocaConfig(name, vision, new BertConfig(vocabSize, t.hidden(), t.layers(), t.heads(), t.intermediate(), t.maxPositions(),
                t.typeVocabSize(), t.layerNormEps(), t.activation(), t.pooler()), unimodalLayers, captionQueries, poolerHeads, embedDim);
    }

    /** A lower bound on the weights a model of this config holds: a checkpoint with fewer cannot belong to it. */
    public void checkFits(long held, String source) {
        double w = vision.width(), c = text.hidden();
        double needed = 3.0 * vision.patchSize() * vision.patchSize() * w + vision.tokens() * w + vision.layers() * (4 * w * w + 2 * w * vision.mlpWidth())
                + (captionQueries + 1) * w + 4 * w * w + text.minimumParameters() + multimodalLayers() * (2 * c * w + 2 * c * c)
                + (w + c) * embedDim;
        if (needed > held) {
            throw ConfigChecks.error(String.format(Locale.ROOT,
                    "%s: the coca config (%s) needs at least %.0f weights but the checkpoint holds %d: the config does not belong to these weights",
                    source, name, needed, held));
        }
    }

    public static List<String> list() {
        return NAMES;
    }

    /** A built-in name, or the path of a JSON file with the same fields. */
    public static CocaConfig resolve(String nameOrPath) {
        if (NAMES.contains(nameOrPath)) {
            try (InputStream in = CocaConfig.class.getResourceAsStream("/dev/vireo/models/config/" + nameOrPath + ".json")) {
                if (in == null) throw new IllegalStateException("config resource " + nameOrPath + ".json is missing from the jar");
                return ClipConfig.MAPPER.readValue(in, CocaConfig.class);
            } catch (IOException e) {
                throw new IllegalStateException("cannot read built-in config " + nameOrPath + ": " + e.getMessage(), e);
            }
        }
        Path p = Path.of(nameOrPath);
        if (!p.toFile().isFile()) {
            throw new IllegalArgumentException("unknown coca config '" + nameOrPath + "': not a built-in name " + NAMES + " nor a JSON file");
        }
        return fromJson(p);
    }

    public static CocaConfig fromJson(Path file) {
        try {
            CocaConfig config = ClipConfig.MAPPER.readValue(file.toFile(), CocaConfig.class);
            if (config == null) throw new IllegalArgumentException("coca config " + file + ": the JSON is null, not a config");
            return config;
        } catch (IOException e) {
            throw new IllegalArgumentException("coca config " + file + ": " + JsonErrors.oneLine(e), e);
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
