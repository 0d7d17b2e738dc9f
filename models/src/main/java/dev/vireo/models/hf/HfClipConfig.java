package dev.vireo.models.hf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.vireo.models.config.ClipConfig;
import dev.vireo.models.config.TextConfig;
import dev.vireo.models.config.VisionConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A Hugging Face {@code CLIPModel} config.json seen as Vireo's {@link ClipConfig} plus what the
 * shapes do not say: the special token ids (which decide text pooling), the layer-norm epsilons and
 * the logit-scale init value. Reads and writes the JSON; it does not read weights.
 */
public record HfClipConfig(ClipConfig clip, int bosTokenId, int eosTokenId, int padTokenId,
                           double textLayerNormEps, double visionLayerNormEps, double logitScaleInit) {
    /** HF's defaults for the fields that do not shape the model (CLIPTextConfig / CLIPConfig). */
    public static final int DEFAULT_BOS = 49406, DEFAULT_EOS = 49407, DEFAULT_PAD = 1;
    public static final double DEFAULT_EPS = 1e-5, DEFAULT_LOGIT_SCALE_INIT = 2.6592;
    /** The eos id of configs written before transformers PR #24773; it selects the legacy pooling rule. */
    public static final int LEGACY_EOS = 2;
    /** HF {@code hidden_act} names Vireo runs, and the Vireo activation each one is. */
    private static final Map<String, String> ACTIVATIONS = Map.of(
            "quick_gelu", "quick_gelu", "gelu", "gelu", "gelu_new", "gelu_tanh", "gelu_pytorch_tanh", "gelu_tanh");
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    public HfClipConfig {
        if (clip == null) throw new IllegalArgumentException("HfClipConfig: the ClipConfig is missing");
        if (!(textLayerNormEps > 0) || !(visionLayerNormEps > 0)) {
            throw new IllegalArgumentException("HfClipConfig " + clip.name() + ": layer_norm_eps must be positive, got text "
                    + textLayerNormEps + ", vision " + visionLayerNormEps);
        }
    }

    /** A Vireo config with HF's defaults for token ids, epsilons and logit-scale init. */
    public static HfClipConfig of(ClipConfig clip) {
        return new HfClipConfig(clip, DEFAULT_BOS, DEFAULT_EOS, DEFAULT_PAD, DEFAULT_EPS, DEFAULT_EPS, DEFAULT_LOGIT_SCALE_INIT);
    }

    /**
     * Whether text pooling takes the position of the largest id (configs with eos_token_id 2, written
     * before transformers PR #24773) instead of the first position of eos_token_id.
     */
    public boolean legacyPooling() {
        return eosTokenId == LEGACY_EOS;
    }

    /** The index CLIPTextTransformer pools at for one caption; 0 when the eos id is absent, as argmax does. */
    public int pooledPosition(int[] ids) {
        if (ids.length == 0) throw new IllegalArgumentException("pooledPosition: the caption has no tokens");
        int target = eosTokenId;
        if (legacyPooling()) {
            target = ids[0];
            for (int id : ids) target = Math.max(target, id);
        }
        for (int i = 0; i < ids.length; i++) if (ids[i] == target) return i;
        return 0;
    }

    /** Reads {@code config.json}; the name is {@code _name_or_path} if set, else the folder's name. */
    public static HfClipConfig read(Path configJson) {
        byte[] json;
        try {
            json = Files.readAllBytes(configJson);
        } catch (IOException e) {
            throw new IllegalArgumentException("HF config " + configJson + ": cannot read: " + e.getMessage(), e);
        }
        Path folder = configJson.toAbsolutePath().getParent();
        String fallback = folder == null || folder.getFileName() == null ? "hf-clip" : folder.getFileName().toString();
        return parse(HfJsonFields.readTree(json, configJson.toString()), configJson.toString(), fallback);
    }

    /** Parses config.json text; {@code source} names it in errors, {@code fallbackName} is used without _name_or_path. */
    public static HfClipConfig parse(String json, String source, String fallbackName) {
        return parse(HfJsonFields.readTree(json, source), source, fallbackName);
    }

    private static HfClipConfig parse(JsonNode root, String source, String fallbackName) {
        HfJsonFields top = new HfJsonFields(root, source, "");
        String modelType = top.string("model_type", null);
        if (!"clip".equals(modelType)) {
            throw HfJsonFields.problem(source, "model_type '" + modelType
                    + "' is not 'clip'; this reader takes CLIPModel checkpoints (model_type \"clip\")");
        }
        HfJsonFields text = top.section("text_config", "text_config_dict");
        HfJsonFields vision = top.section("vision_config", "vision_config_dict");
        int channels = vision.integer("num_channels", 3);
        if (channels != 3) {
            throw HfJsonFields.problem(source, "vision_config.num_channels is " + channels + "; Vireo takes RGB (3)");
        }
        int textWidth = text.integer("hidden_size");
        int visionWidth = vision.integer("hidden_size");
        TextConfig textConfig = new TextConfig(text.integer("max_position_embeddings"), text.integer("vocab_size"), textWidth,
                text.integer("num_hidden_layers"), text.integer("num_attention_heads"),
                (double) text.integer("intermediate_size") / textWidth, activation(text, source));
        VisionConfig visionConfig = new VisionConfig(vision.integer("image_size"), vision.integer("patch_size"), visionWidth,
                vision.integer("num_hidden_layers"), vision.integer("num_attention_heads"),
                (double) vision.integer("intermediate_size") / visionWidth, activation(vision, source));
        String name = top.string("_name_or_path", "");
        ClipConfig clip = new ClipConfig(name.isBlank() ? fallbackName : name, top.integer("projection_dim"), visionConfig, textConfig);
        return new HfClipConfig(clip, text.integer("bos_token_id", DEFAULT_BOS), text.integer("eos_token_id", DEFAULT_EOS),
                text.integer("pad_token_id", DEFAULT_PAD), text.number("layer_norm_eps", DEFAULT_EPS),
                vision.number("layer_norm_eps", DEFAULT_EPS), top.number("logit_scale_init_value", DEFAULT_LOGIT_SCALE_INIT));
    }

    private static String activation(HfJsonFields section, String source) {
        String act = section.string("hidden_act", "quick_gelu");
        String vireo = ACTIVATIONS.get(act);
        if (vireo == null) {
            throw HfJsonFields.problem(source, section.path() + "hidden_act '" + act
                    + "' has no Vireo activation; supported: " + new TreeMap<>(ACTIVATIONS).keySet());
        }
        return vireo;
    }

    /** The HF name of a Vireo activation. */
    static String hfActivation(String vireo) {
        return switch (vireo) {
            case "quick_gelu" -> "quick_gelu";
            case "gelu" -> "gelu";
            case "gelu_tanh" -> "gelu_new";
            default -> throw new IllegalArgumentException("HfClipConfig: activation '" + vireo + "' has no HF name");
        };
    }

    /** config.json text that CLIPModel.from_pretrained accepts, keys sorted as save_pretrained writes them. */
    public String toJson() {
        TextConfig t = clip.text();
        VisionConfig v = clip.vision();
        Map<String, Object> text = new TreeMap<>(Map.ofEntries(
                Map.entry("attention_dropout", 0.0), Map.entry("bos_token_id", bosTokenId), Map.entry("eos_token_id", eosTokenId),
                Map.entry("hidden_act", hfActivation(t.activation())), Map.entry("hidden_size", t.width()),
                Map.entry("initializer_factor", 1.0), Map.entry("initializer_range", 0.02),
                Map.entry("intermediate_size", t.mlpWidth()), Map.entry("layer_norm_eps", textLayerNormEps),
                Map.entry("max_position_embeddings", t.contextLength()), Map.entry("model_type", "clip_text_model"),
                Map.entry("num_attention_heads", t.heads()), Map.entry("num_hidden_layers", t.layers()),
                Map.entry("pad_token_id", padTokenId), Map.entry("projection_dim", clip.embedDim()),
                Map.entry("vocab_size", t.vocabSize())));
        Map<String, Object> vision = new TreeMap<>(Map.ofEntries(
                Map.entry("attention_dropout", 0.0), Map.entry("hidden_act", hfActivation(v.activation())),
                Map.entry("hidden_size", v.width()), Map.entry("image_size", v.imageSize()),
                Map.entry("initializer_factor", 1.0), Map.entry("initializer_range", 0.02),
                Map.entry("intermediate_size", v.mlpWidth()), Map.entry("layer_norm_eps", visionLayerNormEps),
                Map.entry("model_type", "clip_vision_model"), Map.entry("num_attention_heads", v.heads()),
                Map.entry("num_channels", 3), Map.entry("num_hidden_layers", v.layers()),
                Map.entry("patch_size", v.patchSize()), Map.entry("projection_dim", clip.embedDim())));
        Map<String, Object> root = new TreeMap<>(Map.of(
                "_name_or_path", clip.name(), "architectures", List.of("CLIPModel"), "initializer_factor", 1.0,
                "logit_scale_init_value", logitScaleInit, "model_type", "clip", "projection_dim", clip.embedDim(),
                "text_config", text, "torch_dtype", "float32", "vision_config", vision));
        try {
            return MAPPER.writeValueAsString(root) + "\n";
        } catch (IOException e) {
            throw new IllegalStateException("HfClipConfig " + clip.name() + ": cannot write JSON: " + e.getMessage(), e);
        }
    }

    /** Writes {@link #toJson()} to {@code configJson}. */
    public void write(Path configJson) {
        try {
            Path parent = configJson.toAbsolutePath().getParent();
            if (parent != null) Files.createDirectories(parent);
            Files.writeString(configJson, toJson());
        } catch (IOException e) {
            throw new IllegalArgumentException("HF config " + configJson + ": cannot write: " + e.getMessage(), e);
        }
    }
}
