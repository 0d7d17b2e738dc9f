package dev.vireo.models.hf;

import dev.vireo.engine.io.SafetensorsReader;
import dev.vireo.engine.io.SafetensorsWriter;
import dev.vireo.engine.nn.Module;
import dev.vireo.engine.tensor.Rng;
import dev.vireo.engine.tensor.Tensor;
import dev.vireo.models.clip.ClipModel;
import dev.vireo.models.config.ClipConfig;
import dev.vireo.models.text.ClipTokenizer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Hugging Face {@code CLIPModel} folders ({@code config.json}, {@code model.safetensors},
 * {@code vocab.json} + {@code merges.txt}, {@code preprocessor_config.json}) and open_clip state
 * dicts, read into a {@link ClipModel} and written from one, so {@code CLIPModel.from_pretrained}
 * loads what Vireo saves.
 */
public final class HfCheckpoints {
    /** Buffers real checkpoints carry that are not weights (transformers recomputes them). */
    private static final List<String> IGNORED_BUFFERS = List.of(
            "text_model.embeddings.position_ids", "vision_model.embeddings.position_ids");

    private HfCheckpoints() {}

    /**
     * A loaded model with what came with it; close it to unmap the weights. The tokenizer is read on
     * first use ({@link #tokenizer()}): parsing CLIP's 49,408-token vocabulary and 48,894 merges took
     * 0.5-0.8 s of a cold start, which a command that embeds images alone never needs.
     */
    public record Loaded(ClipModel model, HfClipConfig config, Supplier<ClipTokenizer> tokenizers, SafetensorsReader weights)
            implements AutoCloseable {
        /** The tokenizer, read on the first call (a damaged vocabulary fails here, with its one-line error). */
        public ClipTokenizer tokenizer() {
            return tokenizers.get();
        }

        @Override
        public void close() {
            if (weights != null) weights.close();
        }
    }

    /**
     * Loads an HF folder. With {@code mapped}, F32 weights stay memory-mapped (read-only, no copy;
     * for inference); otherwise they are copied to the heap (trainable).
     */
    public static Loaded load(Path dir, boolean mapped) throws IOException {
        Path configFile = dir.resolve("config.json"), weightsFile = dir.resolve("model.safetensors");
        if (!Files.isRegularFile(configFile)) throw new IllegalArgumentException("HF folder " + dir + ": config.json is missing");
        if (!Files.isRegularFile(weightsFile)) {
            throw new IllegalArgumentException("HF folder " + dir + ": model.safetensors is missing"
                    + (Files.exists(dir.resolve("pytorch_model.bin")) ? " (pytorch_model.bin is a pickle; convert it to safetensors)" : ""));
        }
        HfClipConfig config = HfClipConfig.read(configFile);
        SafetensorsReader reader = SafetensorsReader.open(weightsFile);
        try {
            Map<String, Tensor> state = new LinkedHashMap<>();
            for (String name : reader.names()) {
                if (IGNORED_BUFFERS.contains(name)) continue;
                state.put(name, reader.tensor(name));
            }
            ClipModel model = build(config, state, dir.toString(), mapped);
            Path vocab = dir.resolve("vocab.json"), merges = dir.resolve("merges.txt");
            boolean ownVocabulary = Files.isRegularFile(vocab) && Files.isRegularFile(merges);
            Supplier<ClipTokenizer> tokenizers = onFirstUse(() -> {
                ClipTokenizer t = ownVocabulary ? ClipTokenizer.fromHuggingFace(vocab, merges) : ClipTokenizer.openai();
                return t.withPadId(t.endId()); // CLIPTokenizer pads with <|endoftext|>
            });
            if (!mapped) {
                reader.close();
                reader = null;
            }
            return new Loaded(model, config, tokenizers, reader);
        } catch (RuntimeException e) {
            if (reader != null) reader.close();
            throw e;
        }
    }

    /**
     * Loads an open_clip state dict (safetensors) given its model config (a built-in name or JSON
     * file). F32 weights stay memory-mapped, as a Hugging Face folder's do (read-only, for inference;
     * close the result to unmap them): the renamed ones as they are, q, k and v as row ranges of the
     * fused in_proj; only the two projections, stored transposed, are copied.
     */
    public static Loaded loadOpenClip(Path weightsFile, ClipConfig config) throws IOException {
        SafetensorsReader reader = SafetensorsReader.open(weightsFile);
        try {
            Map<String, Tensor> openClip = new LinkedHashMap<>();
            for (String name : reader.names()) openClip.put(name, reader.tensor(name));
            HfClipConfig hf = new HfClipConfig(config, HfClipConfig.DEFAULT_BOS, HfClipConfig.DEFAULT_EOS, 0,
                    HfClipConfig.DEFAULT_EPS, HfClipConfig.DEFAULT_EPS, HfClipConfig.DEFAULT_LOGIT_SCALE_INIT);
            ClipModel model = build(hf, OpenClipNames.toHf(openClip), weightsFile.toString(), true);
            model.text().setPooling(HfClipConfig.DEFAULT_EOS, true); // open_clip pools at argmax(ids)
            return new Loaded(model, hf, ClipTokenizer::openai, reader); // the bundled tokenizer is made once, on first use
        } catch (RuntimeException e) {
            reader.close();
            throw e;
        }
    }

    /** {@code make}'s value, made on the first {@link Supplier#get} and kept (a failure is not kept: the next call tries again). */
    private static <T> Supplier<T> onFirstUse(Supplier<T> make) {
        return new Supplier<>() {
            private T value;

            @Override
            public synchronized T get() {
                if (value == null) value = make.get();
                return value;
            }
        };
    }

    private static ClipModel build(HfClipConfig config, Map<String, Tensor> state, String source, boolean mapped) {
        if (Math.abs(config.textLayerNormEps() - 1e-5) > 1e-12 || Math.abs(config.visionLayerNormEps() - 1e-5) > 1e-12) {
            throw new IllegalArgumentException(source + ": layer_norm_eps " + config.textLayerNormEps() + "/" + config.visionLayerNormEps()
                    + " is not supported (Vireo's CLIP uses 1e-5)");
        }
        config.clip().checkFits(state.values().stream().mapToLong(Tensor::numel).sum(), source); // before allocating
        ClipModel model = new ClipModel(config.clip(), Rng.forLoadedWeights()); // every tensor is loaded below, or this fails
        Module.LoadResult r = model.loadStateDict(state, false, !mapped);
        if (!r.missing().isEmpty() || !r.unexpected().isEmpty()) {
            throw new IllegalArgumentException(source + ": not a CLIPModel of this config: missing " + r.missing()
                    + ", unexpected " + r.unexpected());
        }
        model.text().setPooling(config.eosTokenId(), config.legacyPooling());
        model.eval();
        return model;
    }

    /**
     * Writes {@code model} as an HF CLIPModel folder (weights F32), with tokenizer and preprocessor files.
     * A SigLIP logit bias is left out: CLIPModel has none. A tower with a convolutional stem is refused, before anything
     * is written: CLIPModel has no stem, and would read its patch embedding as one of RGB.
     */
    public static void save(ClipModel model, ClipTokenizer tokenizer, Path dir) throws IOException {
        ClipConfig clip = model.config();
        if (clip.vision().stemChannels() > 0) {
            throw new IllegalArgumentException("export: the image tower of " + clip.name() + " has a convolutional stem ("
                    + clip.vision().stemChannels() + " channels), which a Hugging Face CLIPModel cannot hold");
        }
        Files.createDirectories(dir);
        HfClipConfig.of(clip).write(dir.resolve("config.json"));
        SafetensorsWriter w = new SafetensorsWriter().metadata("format", "pt");
        model.stateDict().forEach((name, t) -> {
            if (!name.equals(ClipModel.LOGIT_BIAS)) w.put(name, t);
        });
        w.write(dir.resolve("model.safetensors"));
        tokenizer.writeHuggingFace(dir.resolve("vocab.json"), dir.resolve("merges.txt"));
        int size = clip.vision().imageSize();
        Files.writeString(dir.resolve("preprocessor_config.json"), """
                {
                  "crop_size": {"height": %d, "width": %d},
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
                  "size": {"shortest_edge": %d}
                }
                """.formatted(size, size, size));
        Files.writeString(dir.resolve("tokenizer_config.json"), """
                {
                  "bos_token": "<|startoftext|>",
                  "eos_token": "<|endoftext|>",
                  "model_max_length": %d,
                  "pad_token": "<|endoftext|>",
                  "tokenizer_class": "CLIPTokenizer",
                  "unk_token": "<|endoftext|>"
                }
                """.formatted(clip.text().contextLength()));
    }

    /** Names in a state dict that a model of {@code config} would not accept (for diagnostics). */
    public static List<String> unexpected(ClipConfig config, Map<String, Tensor> state) {
        List<String> out = new ArrayList<>(state.keySet());
        out.removeAll(new ClipModel(config, 0).stateDict().keySet());
        out.removeAll(IGNORED_BUFFERS);
        return out;
    }
}
