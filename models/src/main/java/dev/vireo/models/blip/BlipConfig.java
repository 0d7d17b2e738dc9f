package dev.vireo.models.blip;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vireo.engine.nn.Activation;
import dev.vireo.models.config.BertConfig;
import dev.vireo.models.hf.HfJsonFields;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A {@code BlipForImageTextRetrieval} config.json: the text encoder as a {@link BertConfig} (BLIP's
 * has no token types and no pooler), the vision tower, and the width E of the two contrastive
 * projections ({@code image_text_hidden_size}). Absent fields take transformers' defaults
 * ({@code BlipTextConfig}, {@code BlipVisionConfig}, {@code BlipConfig}).
 */
public record BlipConfig(BertConfig text, BlipVisionConfig vision, int embedDim) {
    public BlipConfig {
        if (text.typeVocabSize() != 0 || text.pooler()) {
            throw new IllegalArgumentException("blip: the text encoder has no token types and no pooler");
        }
        if (embedDim <= 0) throw new IllegalArgumentException("blip: image_text_hidden_size must be positive, got " + embedDim);
    }

    /** Reads config.json; refuses another model type or another BLIP head than image-text retrieval. */
    public static BlipConfig read(Path file) throws IOException {
        return read(file, "BlipForImageTextRetrieval");
    }

    /**
     * Reads config.json of the BLIP head {@code architecture} (BlipForImageTextRetrieval,
     * BlipForConditionalGeneration, ...); refuses another model type, or a config whose
     * {@code architectures} names other heads only.
     */
    public static BlipConfig read(Path file, String architecture) throws IOException {
        String source = file.toString();
        JsonNode root = HfJsonFields.readTree(Files.readAllBytes(file), source);
        HfJsonFields top = new HfJsonFields(root, source, "");
        String type = top.string("model_type", "");
        if (!type.equals("blip")) throw HfJsonFields.problem(source, "model_type '" + type + "' is not 'blip'");
        JsonNode architectures = root.path("architectures");
        if (architectures.isArray() && !architectures.isEmpty()) {
            boolean named = false;
            for (JsonNode a : architectures) named |= architecture.equals(a.asText());
            if (!named) {
                throw HfJsonFields.problem(source, "architectures " + HfJsonFields.abbreviate(architectures)
                        + " is not " + architecture + " (BLIP's retrieval, captioning and VQA heads are different models)");
            }
        }
        HfJsonFields t = top.section("text_config", "text_config_dict");
        HfJsonFields v = top.section("vision_config", "vision_config_dict");
        BlipVisionConfig vision = new BlipVisionConfig(v.integer("hidden_size", 768), v.integer("num_hidden_layers", 12),
                v.integer("num_attention_heads", 12), v.integer("intermediate_size", 3072), v.integer("image_size", 384),
                v.integer("patch_size", 16), v.number("layer_norm_eps", 1e-5), v.string("hidden_act", "gelu"));
        BertConfig text;
        try {
            text = new BertConfig(t.integer("vocab_size", 30524), t.integer("hidden_size", 768), t.integer("num_hidden_layers", 12),
                    t.integer("num_attention_heads", 8), t.integer("intermediate_size", 3072), t.integer("max_position_embeddings", 512),
                    0, t.number("layer_norm_eps", 1e-12), activation(t.string("hidden_act", "gelu"), source), false);
        } catch (IllegalArgumentException e) {
            throw HfJsonFields.problem(source, "text_config: " + e.getMessage());
        }
        return new BlipConfig(text, vision, top.integer("image_text_hidden_size", 256));
    }

    /** An HF activation name as BertConfig spells it ("gelu_new" is the tanh form). */
    private static String activation(String name, String source) {
        try {
            return Activation.of(name).configName();
        } catch (IllegalArgumentException e) {
            throw HfJsonFields.problem(source, "text_config.hidden_act: " + e.getMessage());
        }
    }

    /** The weights the whole model holds: vision tower, text encoder with cross-attention, projections, ITM head. */
    public double parameters() {
        double h = text.hidden(), i = text.intermediate(), cv = vision.hidden();
        double embeddings = ((double) text.vocabSize() + text.maxPositions()) * h + 2 * h;
        double attention = 4 * (h * h + h) + 2 * h;
        double cross = 2 * (h * h + h) + 2 * (h * cv + h) + 2 * h;
        double mlp = h * i + i + i * h + h + 2 * h;
        double heads = (cv * embedDim + embedDim) + (h * embedDim + embedDim) + (2 * h + 2);
        return vision.parameters() + embeddings + text.layers() * (attention + cross + mlp) + heads;
    }

    /**
     * Refuses, before anything is allocated, a config that makes a model far bigger than the
     * checkpoint's {@code held} weights (more than twice, plus 64 Ki): a hostile or foreign config.
     * Smaller mismatches are left to the loader, which names the missing or mis-shaped tensors.
     */
    public void checkFits(long held, String source) {
        double needed = parameters();
        if (needed > 2.0 * held + 65_536) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s: the BLIP config needs %.0f weights but the checkpoint holds %d: the config does not belong to these weights",
                    source, needed, held));
        }
    }
}
