package dev.vireo.bench.fuzz;

import dev.vireo.engine.io.Checkpoint;
import dev.vireo.engine.io.CheckpointFormatException;
import dev.vireo.engine.io.DType;
import dev.vireo.engine.io.OnnxModel;
import dev.vireo.engine.io.SafetensorsReader;
import dev.vireo.engine.io.SafetensorsWriter;
import dev.vireo.engine.tensor.Rng;
import dev.vireo.engine.tensor.Tensor;
import dev.vireo.models.blip.BlipConfig;
import dev.vireo.models.config.ClipConfig;
import dev.vireo.models.config.LitConfig;
import dev.vireo.models.config.VlConfig;
import dev.vireo.models.eval.GroundingCalibration;
import dev.vireo.models.hf.BertCheckpoints;
import dev.vireo.models.hf.HfClipConfig;
import dev.vireo.models.image.ClipPreprocessConfig;
import dev.vireo.models.vilt.ViltConfig;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Weights and model descriptions: safetensors, training checkpoints, ONNX (read whole, then as a BERT
 * when it names one), Vireo's CLIP and LiT config JSON, and Hugging Face's CLIP, BERT, BLIP and ViLT config.json
 * and CLIP preprocessor_config.json.
 */
final class ModelFileTargets {
    private ModelFileTargets() {}

    static List<FuzzTarget> all(Path scratch) throws IOException {
        Path file = scratch.resolve("input"), config = scratch.resolve("fuzz-model").resolve("config.json");
        Files.createDirectories(config.getParent());
        return List.of(
                new FuzzTarget("safetensors", List.of(safetensors()), in -> {
                    Files.write(file, in);
                    try (SafetensorsReader r = SafetensorsReader.open(file)) {
                        r.metadata();
                        for (String name : r.names()) r.tensor(name).toArray();
                    }
                }),
                new FuzzTarget("checkpoint", List.of(checkpoint(scratch)), in -> {
                    Files.write(file, in);
                    // the mapped load for inference reads the same file in place: it must refuse what the
                    // heap load refuses (its first complaint may be another one) and read what it reads
                    Checkpoint heap;
                    try {
                        heap = Checkpoint.load(file);
                    } catch (CheckpointFormatException refused) {
                        try (Checkpoint.MappedModel m = Checkpoint.mapModel(file)) {
                            throw new IllegalStateException("the mapped load accepted a checkpoint the heap load refused: " + refused.getMessage());
                        } catch (CheckpointFormatException alsoRefused) {
                            throw refused;
                        }
                    }
                    try (Checkpoint.MappedModel m = Checkpoint.mapModel(file)) {
                        for (var e : heap.model().entrySet()) {
                            if (!Arrays.equals(e.getValue().toArray(), m.model().get(e.getKey()).toArray())) {
                                throw new IllegalStateException("the mapped load's '" + e.getKey() + "' differs from the heap load's");
                            }
                        }
                    }
                }),
                new FuzzTarget("onnx", List.of(OnnxSeeds.tinyBert()), in -> {
                    try (OnnxModel m = OnnxModel.parse("fuzz.onnx", in)) {
                        for (OnnxModel.Initializer init : m.initializers().values()) {
                            if (init.dataType() == OnnxModel.INT64) m.longs(init.name());
                            else if (init.dataType() != OnnxModel.INT32) m.floats(init.name());
                        }
                        if (m.initializers().containsKey("embeddings.word_embeddings.weight")) BertCheckpoints.loadOnnx(m, null);
                    }
                }),
                new FuzzTarget("clip-config-json", List.of(ClipConfig.create("tiny").toJson().getBytes(StandardCharsets.UTF_8)),
                        in -> ClipConfig.fromJson(new String(in, StandardCharsets.UTF_8))),
                new FuzzTarget("vl-config-json", List.of(VlConfig.create("vl-mid").toJson().getBytes(StandardCharsets.UTF_8)),
                        in -> VlConfig.fromJson(new String(in, StandardCharsets.UTF_8))),
                new FuzzTarget("blip-config", List.of(DataTargets.utf8(BLIP_CONFIG)), in -> {
                    Files.write(config, in);
                    BlipConfig.read(config);
                }),
                new FuzzTarget("vilt-config", List.of(DataTargets.utf8(VILT_CONFIG)), in -> {
                    Files.write(config, in);
                    ViltConfig.read(config);
                }),
                new FuzzTarget("lit-config-json", List.of(LitConfig.create("lit-minilm").toJson().getBytes(StandardCharsets.UTF_8)), in -> {
                    Files.write(file, in);
                    LitConfig.fromJson(file);
                }),
                new FuzzTarget("hf-clip-config", List.of(HfClipConfig.of(ClipConfig.create("tiny")).toJson().getBytes(StandardCharsets.UTF_8)), in -> {
                    Files.write(config, in);
                    HfClipConfig.read(config);
                }),
                new FuzzTarget("bert-config-json", List.of(DataTargets.utf8(BERT_CONFIG)), in -> {
                    Files.write(config, in);
                    BertCheckpoints.readConfig(config);
                }),
                new FuzzTarget("grounding-json", List.of(DataTargets.utf8(GROUNDING_JSON)), in -> {
                    Files.write(config.resolveSibling(GroundingCalibration.FILE), in);
                    GroundingCalibration.read(config.getParent());
                }),
                new FuzzTarget("clip-preprocess-config", List.of(DataTargets.utf8(PREPROCESSOR_CONFIG)), in -> {
                    Path json = config.resolveSibling("preprocessor_config.json");
                    Files.write(json, in);
                    ClipPreprocessConfig.fromJson(json);
                }));
    }

    /** A tiny BlipForImageTextRetrieval's config.json as transformers 5.18 writes it (models/src/test/resources/blip/tiny_blip). */
    private static final String BLIP_CONFIG = """
            {
              "architectures": [
                "BlipForImageTextRetrieval"
              ],
              "dtype": "float32",
              "image_text_hidden_size": 16,
              "initializer_factor": 1.0,
              "initializer_range": 0.02,
              "label_smoothing": 0.0,
              "logit_scale_init_value": 2.6592,
              "model_type": "blip",
              "projection_dim": 512,
              "text_config": {
                "attention_probs_dropout_prob": 0.0,
                "bos_token_id": 38,
                "encoder_hidden_size": 32,
                "eos_token_id": 2,
                "hidden_act": "gelu",
                "hidden_dropout_prob": 0.0,
                "hidden_size": 32,
                "initializer_range": 0.02,
                "intermediate_size": 64,
                "is_decoder": true,
                "label_smoothing": 0.0,
                "layer_norm_eps": 1e-12,
                "max_position_embeddings": 16,
                "model_type": "blip_text_model",
                "num_attention_heads": 4,
                "num_hidden_layers": 2,
                "pad_token_id": 0,
                "projection_dim": 768,
                "sep_token_id": 3,
                "tie_word_embeddings": true,
                "use_cache": true,
                "vocab_size": 40
              },
              "tie_word_embeddings": true,
              "transformers_version": "5.18.0",
              "vision_config": {
                "attention_dropout": 0.0,
                "hidden_act": "gelu",
                "hidden_size": 32,
                "image_size": 32,
                "initializer_range": 1e-10,
                "intermediate_size": 64,
                "layer_norm_eps": 1e-05,
                "model_type": "blip_vision_model",
                "num_attention_heads": 4,
                "num_hidden_layers": 2,
                "patch_size": 8,
                "projection_dim": 512
              }
            }
            """;

    /** A tiny ViltForQuestionAnswering's config.json as transformers 5.18 writes it (models/src/test/resources/vilt/tiny_vilt). */
    private static final String VILT_CONFIG = """
            {
              "architectures": [
                "ViltForQuestionAnswering"
              ],
              "attention_probs_dropout_prob": 0.0,
              "dtype": "float32",
              "hidden_act": "gelu",
              "hidden_dropout_prob": 0.0,
              "hidden_size": 32,
              "id2label": {
                "0": "yes",
                "1": "no",
                "2": "2",
                "3": "red",
                "4": "blue",
                "5": "cat",
                "6": "dog",
                "7": "on the mat",
                "8": "3",
                "9": "sky"
              },
              "image_size": 32,
              "initializer_range": 0.02,
              "intermediate_size": 64,
              "label2id": {
                "2": 2,
                "3": 8,
                "blue": 4,
                "cat": 5,
                "dog": 6,
                "no": 1,
                "on the mat": 7,
                "red": 3,
                "sky": 9,
                "yes": 0
              },
              "layer_norm_eps": 1e-12,
              "max_image_length": -1,
              "max_position_embeddings": 16,
              "modality_type_vocab_size": 2,
              "model_type": "vilt",
              "num_attention_heads": 4,
              "num_channels": 3,
              "num_hidden_layers": 2,
              "num_images": -1,
              "pad_token_id": null,
              "patch_size": 8,
              "qkv_bias": true,
              "tie_word_embeddings": true,
              "transformers_version": "5.18.0",
              "type_vocab_size": 2,
              "vocab_size": 34
            }
            """;

    /** A tiny BertModel's config.json as transformers writes it. */
    private static final String BERT_CONFIG = """
            {
              "add_cross_attention": false,
              "architectures": ["BertModel"],
              "attention_probs_dropout_prob": 0.1,
              "bos_token_id": null,
              "classifier_dropout": null,
              "hidden_act": "gelu",
              "hidden_dropout_prob": 0.1,
              "hidden_size": 32,
              "initializer_range": 0.02,
              "intermediate_size": 64,
              "is_decoder": false,
              "layer_norm_eps": 1e-12,
              "max_position_embeddings": 16,
              "model_type": "bert",
              "num_attention_heads": 4,
              "num_hidden_layers": 2,
              "pad_token_id": 0,
              "position_embedding_type": "absolute",
              "torch_dtype": "float32",
              "transformers_version": "4.46.0",
              "type_vocab_size": 2,
              "use_cache": true,
              "vocab_size": 22
            }
            """;

    /** A run folder's grounding settings as {@code vireo demo vl} writes them ({@link GroundingCalibration#write}). */
    private static final String GROUNDING_JSON = """
            {
              "method" : "full-rollout",
              "layer" : 0,
              "words" : "cls",
              "threshold" : 0.3,
              "chosen_on" : {"scenes" : 200, "first_scene" : 1000, "acc_iou50" : 0.82, "mean_iou" : 0.61}
            }
            """;

    /** openai/clip-vit-base-patch32's preprocessor_config.json (CLIPImageProcessor). */
    private static final String PREPROCESSOR_CONFIG = """
            {
              "crop_size": {"height": 224, "width": 224},
              "do_center_crop": true,
              "do_convert_rgb": true,
              "do_normalize": true,
              "do_rescale": true,
              "do_resize": true,
              "image_mean": [0.48145466, 0.4578275, 0.40821073],
              "image_processor_type": "CLIPImageProcessor",
              "image_std": [0.26862954, 0.26130258, 0.27577711],
              "resample": 3,
              "rescale_factor": 0.00392156862745098,
              "size": {"shortest_edge": 224}
            }
            """;

    private static byte[] safetensors() throws IOException {
        Rng rng = new Rng(1);
        SafetensorsWriter w = new SafetensorsWriter().metadata("format", "pt")
                .put("a.weight", Tensor.randn(rng, 0, 1, 3, 4))
                .put("a.bias", Tensor.randn(rng, 0, 1, 4), DType.F16)
                .put("b", Tensor.randn(rng, 0, 1, 2, 2, 2), DType.BF16);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        w.writeTo(Channels.newChannel(out));
        return out.toByteArray();
    }

    private static byte[] checkpoint(Path scratch) throws IOException {
        Rng rng = new Rng(2);
        Path file = scratch.resolve("seed-checkpoint.safetensors");
        Checkpoint.capture(3, rng, "{\"model\":\"tiny\"}", Map.of("w", Tensor.randn(rng, 0, 1, 4, 3), "b", Tensor.randn(rng, 0, 1, 3)), null)
                .save(file);
        return Files.readAllBytes(file);
    }
}
