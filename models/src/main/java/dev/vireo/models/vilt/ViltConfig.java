package dev.vireo.models.vilt;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vireo.engine.io.OneLine;
import dev.vireo.engine.nn.Activation;
import dev.vireo.models.config.BertConfig;
import dev.vireo.models.hf.HfJsonFields;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A {@code ViltForQuestionAnswering} config.json (transformers' {@code ViltConfig}, its defaults
 * for absent fields): the one transformer's shape and its text embeddings as a {@link BertConfig}
 * (ViLT's text side is BERT's embeddings; its layers are pre-LN ViT layers of the same width), the
 * image side ({@code image_size}, {@code patch_size}: a learned grid of (image / patch)² positions
 * that is interpolated to each image's patch grid), the modality-type table, the query/key/value
 * biases, {@code max_image_length} and the answers ({@code id2label}, index order).
 */
public record ViltConfig(BertConfig text, int modalityTypes, int imageSize, int patchSize, boolean qkvBias,
                         int maxImageLength, List<String> labels) {
    /** The largest {@code image_size} a config may name, as BLIP's: ViLT ships 384. */
    public static final int MAX_IMAGE_SIZE = 8192;

    public ViltConfig {
        if (modalityTypes < 2) throw error("modality_type_vocab_size must be at least 2 (text and image), got " + modalityTypes);
        if (patchSize <= 0) throw error("patch_size must be positive, got " + patchSize);
        if (imageSize < patchSize) throw error("image_size " + imageSize + " is smaller than patch_size " + patchSize);
        if (imageSize > MAX_IMAGE_SIZE) throw error("image_size " + imageSize + " is past the " + MAX_IMAGE_SIZE + " px a ViLT may take");
        if (labels.isEmpty()) throw error("id2label names no answer");
        labels = List.copyOf(labels);
    }

    /** Reads config.json; refuses another model type or another ViLT head than question answering. */
    public static ViltConfig read(Path file) throws IOException {
        String source = file.toString();
        JsonNode root = HfJsonFields.readTree(Files.readAllBytes(file), source);
        HfJsonFields f = new HfJsonFields(root, source, "");
        String type = f.string("model_type", "");
        if (!type.equals("vilt")) throw HfJsonFields.problem(source, "model_type '" + type + "' is not 'vilt'");
        JsonNode architectures = root.path("architectures");
        if (architectures.isArray() && !architectures.isEmpty()) {
            boolean vqa = false;
            for (JsonNode a : architectures) vqa |= "ViltForQuestionAnswering".equals(a.asText());
            if (!vqa) {
                throw HfJsonFields.problem(source, "architectures " + HfJsonFields.abbreviate(architectures)
                        + " is not ViltForQuestionAnswering (the masked-LM, retrieval and NLVR2 heads are other models)");
            }
        }
        int channels = f.integer("num_channels", 3);
        if (channels != 3) throw HfJsonFields.problem(source, "num_channels " + channels + " is not 3 (RGB)");
        for (String field : List.of("image_size", "patch_size")) {
            if (root.path(field).isArray()) throw HfJsonFields.problem(source, field + " " + HfJsonFields.abbreviate(root.get(field))
                    + " is not one number (transformers' ViLT takes square grids only)");
        }
        JsonNode qkv = root.path("qkv_bias");
        if (!qkv.isMissingNode() && !qkv.isNull() && !qkv.isBoolean()) {
            throw HfJsonFields.problem(source, "qkv_bias must be true or false, got " + HfJsonFields.abbreviate(qkv));
        }
        try {
            String activation = Activation.of(f.string("hidden_act", "gelu")).configName();
            BertConfig text = new BertConfig(f.integer("vocab_size", 30522), f.integer("hidden_size", 768), f.integer("num_hidden_layers", 12),
                    f.integer("num_attention_heads", 12), f.integer("intermediate_size", 3072), f.integer("max_position_embeddings", 40),
                    f.integer("type_vocab_size", 2), f.number("layer_norm_eps", 1e-12), activation, false);
            if (text.typeVocabSize() == 0) throw new IllegalArgumentException("type_vocab_size must be positive (ViLT's text has token types)");
            return new ViltConfig(text, f.integer("modality_type_vocab_size", 2), f.integer("image_size", 384), f.integer("patch_size", 32),
                    qkv.asBoolean(true), f.integer("max_image_length", -1), labels(root.get("id2label"), source));
        } catch (IllegalArgumentException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("HF config ")) throw e;
            throw HfJsonFields.problem(source, e.getMessage());
        }
    }

    /**
     * {@code id2label} as a list: keys "0".."n-1", each once, values strings. Absent, transformers
     * makes two labels, LABEL_0 and LABEL_1.
     */
    static List<String> labels(JsonNode id2label, String source) {
        if (id2label == null || id2label.isNull()) return List.of("LABEL_0", "LABEL_1");
        if (!id2label.isObject()) throw HfJsonFields.problem(source, "id2label must be an object of index → answer, got " + HfJsonFields.abbreviate(id2label));
        int n = id2label.size();
        String[] out = new String[n];
        for (Iterator<Map.Entry<String, JsonNode>> it = id2label.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            int index;
            try {
                index = Integer.parseInt(e.getKey());
            } catch (NumberFormatException x) {
                throw HfJsonFields.problem(source, "id2label key '" + e.getKey() + "' is not an index");
            }
            if (index < 0 || index >= n) throw HfJsonFields.problem(source, "id2label key " + index + " is outside 0.." + (n - 1));
            if (out[index] != null) throw HfJsonFields.problem(source, "id2label names index " + index + " twice");
            if (!e.getValue().isTextual()) {
                throw HfJsonFields.problem(source, "id2label." + index + " must be a string, got " + HfJsonFields.abbreviate(e.getValue()));
            }
            out[index] = e.getValue().textValue();
        }
        return new ArrayList<>(List.of(out));
    }

    public int hidden() {
        return text.hidden();
    }

    /** Side of the learned position grid: transformers' {@code image_size // patch_size}. */
    public int grid() {
        return imageSize / patchSize;
    }

    /** The classifier's outputs, one per answer. */
    public int numLabels() {
        return labels.size();
    }

    /** The weights the whole model holds (embeddings, layers, final norm, pooler, classifier), in double: no overflow. */
    public double parameters() {
        double c = hidden(), i = text.intermediate(), p = patchSize, g = grid(), l = numLabels();
        double textEmbeddings = ((double) text.vocabSize() + text.maxPositions() + text.typeVocabSize()) * c + 2 * c;
        double imageEmbeddings = c + (3 * p * p * c + c) + (g * g + 1) * c + modalityTypes * c;
        double attention = 3 * c * c + (qkvBias ? 3 * c : 0) + c * c + c;
        double layer = attention + (c * i + i) + (i * c + c) + 4 * c;
        double head = 2 * c + (c * c + c) + (c * 2 * c + 2 * c) + 4 * c + (2 * c * l + l);
        return textEmbeddings + imageEmbeddings + text.layers() * layer + head;
    }

    /**
     * Refuses, before anything is allocated, a config that makes a model far bigger than the
     * checkpoint's {@code held} weights (more than twice, plus 64 Ki): a hostile or foreign config.
     */
    public void checkFits(long held, String source) {
        double needed = parameters();
        if (needed > 2.0 * held + 65_536) {
            throw new IllegalArgumentException(OneLine.of(String.format(Locale.ROOT,
                    "%s: the ViLT config needs %.0f weights but the checkpoint holds %d: the config does not belong to these weights",
                    source, needed, held)));
        }
    }

    private static IllegalArgumentException error(String message) {
        return new IllegalArgumentException(OneLine.of("vilt config: " + message));
    }
}
