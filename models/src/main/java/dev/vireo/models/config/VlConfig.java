package dev.vireo.models.config;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * A vision-language transformer's shape: a ViT image side, a BERT text stack of {@code text.layers}
 * post-LN layers whose last {@code fusionLayers} fuse the image in, and the joint {@code embedDim}
 * space of the contrastive heads. The per-layer switch follows from {@code fusion}:
 * <ul>
 *   <li>{@code early} (ViLT): the image's patch embeddings join the text tokens at the first fusion
 *       layer and every later layer attends over both ({@link LayerKind#JOINT}); with
 *       {@code vision.layers = 0} the image gets no layer of its own;</li>
 *   <li>{@code mid} (ALBEF): text-only layers, then layers of self-attention, cross-attention to the
 *       image tokens and MLP ({@link LayerKind#CROSS});</li>
 *   <li>{@code late}: text-only layers, the two sides meet only in the dot product of their
 *       embeddings and a shallow matching head on them ({@code fusionLayers = 0}).</li>
 * </ul>
 * Named configs are JSON data beside CLIP's ({@link #list()}, {@link #create(String)}).
 *
 * @param regionClasses classes of the masked-region classification head (0: no such head; the
 *                      trainer sets it from data that labels its patches, as the shapes world does)
 * @param answerClasses answers of the visual question answering head on the fused [CLS] (0: no such
 *                      head; the VQA trainer sets it from its answer vocabulary); early or mid fusion only
 * @param decoder       whether the model has BLIP's text decoder on its layers (their cross-attention and MLP
 *                      shared, a causal self-attention of its own per layer; the pretrainer sets it for the
 *                      {@code lm} objective); mid fusion only
 */
public record VlConfig(String name, String fusion, int embedDim, VisionConfig vision, BertConfig text, int fusionLayers,
                       @JsonInclude(JsonInclude.Include.NON_DEFAULT) int regionClasses,
                       @JsonInclude(JsonInclude.Include.NON_DEFAULT) int answerClasses,
                       @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean decoder) {
    private static final List<String> NAMES = List.of("vl-early", "vl-mid", "vl-late");
    private static final List<String> FUSIONS = List.of("early", "mid", "late");

    /** What one layer of the text stack does. */
    public enum LayerKind { TEXT, CROSS, JOINT }

    public VlConfig {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("VL config: name is missing");
        if (fusion == null || !FUSIONS.contains(fusion)) throw ConfigChecks.error(name + ": fusion '" + fusion + "' is not one of " + FUSIONS);
        ConfigChecks.positive(name, "embedDim", embedDim);
        if (vision == null) throw ConfigChecks.error(name + ": the vision section is missing");
        if (text == null) throw ConfigChecks.error(name + ": the text section is missing");
        ConfigChecks.nonNegative(name, "fusionLayers", fusionLayers);
        ConfigChecks.nonNegative(name, "regionClasses", regionClasses);
        ConfigChecks.nonNegative(name, "answerClasses", answerClasses);
        if (answerClasses > 0 && fusion.equals("late")) {
            throw ConfigChecks.error(name + ": a question answering head reads the fused [CLS]; late fusion has none (use early or mid)");
        }
        if (decoder && !fusion.equals("mid")) {
            throw ConfigChecks.error(name + ": a text decoder cross-attends to the image through the fusion layers; only mid fusion has them, not " + fusion);
        }
        if (fusionLayers > text.layers()) {
            throw ConfigChecks.error(name + ": fusionLayers " + fusionLayers + " exceeds the " + text.layers() + " layers of the text stack");
        }
        switch (fusion) {
            case "late" -> {
                if (fusionLayers != 0) throw ConfigChecks.error(name + ": late fusion has no fusion layers, got fusionLayers " + fusionLayers);
                ConfigChecks.positive(name + ".vision", "layers", vision.layers());
            }
            case "mid" -> {
                ConfigChecks.positive(name, "fusionLayers", fusionLayers);
                ConfigChecks.positive(name + ".vision", "layers", vision.layers());
            }
            default -> ConfigChecks.positive(name, "fusionLayers", fusionLayers);
        }
        if (vision.tokens() + text.maxPositions() > 1 << 16) {
            throw ConfigChecks.error(String.format(Locale.ROOT, "%s: %d image tokens and %d text positions are more than a fusion layer takes",
                    name, vision.tokens(), text.maxPositions()));
        }
    }

    /** A config without a masked-region classification head. */
    public VlConfig(String name, String fusion, int embedDim, VisionConfig vision, BertConfig text, int fusionLayers) {
        this(name, fusion, embedDim, vision, text, fusionLayers, 0, 0, false);
    }

    /** This config with a head classifying masked patches into {@code classes} region classes (0: none). */
    public VlConfig withRegionClasses(int classes) {
        return new VlConfig(name, fusion, embedDim, vision, text, fusionLayers, classes, answerClasses, decoder);
    }

    /** This config with a question answering head over {@code answers} answers (0: none). */
    public VlConfig withAnswerClasses(int answers) {
        return new VlConfig(name, fusion, embedDim, vision, text, fusionLayers, regionClasses, answers, decoder);
    }

    /** This config with (or without) BLIP's text decoder on its layers. */
    public VlConfig withDecoder(boolean on) {
        return new VlConfig(name, fusion, embedDim, vision, text, fusionLayers, regionClasses, answerClasses, on);
    }

    /** What layer {@code i} of the text stack does. */
    public LayerKind layerKind(int i) {
        if (i < text.layers() - fusionLayers) return LayerKind.TEXT;
        return fusion.equals("early") ? LayerKind.JOINT : LayerKind.CROSS;
    }

    /** Whether image and text have embeddings of their own (every fusion but early): what contrastive learning needs. */
    public boolean hasUnimodalEmbeddings() {
        return !fusion.equals("early");
    }

    /**
     * A lower bound on the weights a model of this config holds, computed without building it: a
     * checkpoint with fewer values cannot belong to it ({@link #checkFits}).
     */
    public double minimumParameters() {
        double w = vision.width(), c = text.hidden();
        double visionPart = 3.0 * vision.patchSize() * vision.patchSize() * w + vision.tokens() * w
                + vision.layers() * (4 * w * w + 2 * w * vision.mlpWidth());
        double crossPart = fusion.equals("mid") ? fusionLayers * (c * c + 2 * c * w + c * c) : 0;
        double decoderPart = decoder ? text.layers() * 4 * c * c : 0; // the decoder's own self-attention
        return visionPart + text.minimumParameters() + crossPart + decoderPart + (double) c * text.vocabSize(); // + the MLM decoder
    }

    /** Refuses, before anything is allocated, a config that needs more weights than the checkpoint holds. */
    public void checkFits(long held, String source) {
        double needed = minimumParameters();
        if (needed > held) {
            throw ConfigChecks.error(String.format(Locale.ROOT,
                    "%s: the VL config (%s) needs at least %.0f weights but the checkpoint holds %d: the config does not belong to these weights",
                    source, name, needed, held));
        }
    }

    /** This config with the vocabulary of its tokenizer. */
    public VlConfig withVocabSize(int vocabSize) {
        BertConfig t = text;
        return new VlConfig(name, fusion, embedDim, vision, new BertConfig(vocabSize, t.hidden(), t.layers(), t.heads(), t.intermediate(),
                t.maxPositions(), t.typeVocabSize(), t.layerNormEps(), t.activation(), t.pooler()), fusionLayers, regionClasses, answerClasses, decoder);
    }

    public static List<String> list() {
        return NAMES;
    }

    public static boolean isName(String nameOrPath) {
        return NAMES.contains(nameOrPath);
    }

    /** A built-in config by name, or an error listing the names there are. */
    public static VlConfig create(String name) {
        if (!NAMES.contains(name)) throw new IllegalArgumentException("unknown VL config '" + name + "'; known: " + NAMES);
        try (InputStream in = VlConfig.class.getResourceAsStream("/dev/vireo/models/config/" + name + ".json")) {
            if (in == null) throw new IllegalStateException("config resource " + name + ".json is missing from the jar");
            return ClipConfig.MAPPER.readValue(in, VlConfig.class);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read built-in config " + name + ": " + e.getMessage(), e);
        }
    }

    /** A built-in name, or the path of a JSON file with the same fields. */
    public static VlConfig resolve(String nameOrPath) {
        if (NAMES.contains(nameOrPath)) return create(nameOrPath);
        Path p = Path.of(nameOrPath);
        if (!p.toFile().isFile()) {
            throw new IllegalArgumentException("unknown VL config '" + nameOrPath + "': not a built-in name " + NAMES + " nor a JSON file");
        }
        return fromJson(p);
    }

    public static VlConfig fromJson(Path file) {
        try {
            VlConfig config = ClipConfig.MAPPER.readValue(file.toFile(), VlConfig.class);
            if (config == null) throw new IllegalArgumentException("VL config " + file + ": the JSON is null, not a config");
            return config;
        } catch (IOException e) {
            throw new IllegalArgumentException("VL config " + file + ": " + JsonErrors.oneLine(e), e);
        }
    }

    public static VlConfig fromJson(String json) {
        try {
            VlConfig config = ClipConfig.MAPPER.readValue(json, VlConfig.class);
            if (config == null) throw new IllegalArgumentException("VL config JSON: the JSON is null, not a config");
            return config;
        } catch (IOException e) {
            throw new IllegalArgumentException("VL config JSON: " + JsonErrors.oneLine(e), e);
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
