package dev.vireo.models.blip;

import dev.vireo.engine.io.SafetensorsReader;
import dev.vireo.engine.nn.Parameter;
import dev.vireo.engine.tensor.ComputeProvider;
import dev.vireo.engine.tensor.GradMode;
import dev.vireo.engine.tensor.Rng;
import dev.vireo.engine.tensor.Tensor;
import dev.vireo.models.image.RgbImage;
import dev.vireo.models.text.TokenBatch;
import dev.vireo.models.vl.ImageTextMatcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Hugging Face {@code BlipForImageTextRetrieval} folder (as {@code save_pretrained} writes it,
 * with its processor's files) as an {@link ImageTextMatcher}, scoring each pair as transformers'
 * {@code forward} does: {@code matchProbability} = softmax(itm_head(text_encoder(ids,
 * encoder_hidden_states=image states))[:, 0])[1] ({@code use_itm_head=True}), and {@code cosine} =
 * normalize(vision_proj(image states[:, 0])) · normalize(text_proj(text_encoder(ids)[:, 0]))
 * ({@code use_itm_head=False}). Like transformers, the fused pass reads the processor's ids as they
 * are, [CLS] first: the original BLIP code puts [ENC] in its place, transformers does not.
 * Weights stay memory-mapped (read-only) until {@link #close()}. The last softmax and the cosine's
 * dot product and norms run in double; the model runs in float.
 */
public final class BlipMatcher implements ImageTextMatcher {
    /** Pairs scored per forward pass: bounds the activations of a long list. */
    private static final int CHUNK = 32;

    private final BlipRetrievalModel model;
    private final BlipProcessor processor;
    private final SafetensorsReader weights;
    private boolean closed;

    private BlipMatcher(BlipRetrievalModel model, BlipProcessor processor, SafetensorsReader weights) {
        this.model = model;
        this.processor = processor;
        this.weights = weights;
        ComputeProvider.get().register(parameters());
    }

    /**
     * Loads a folder: config.json ({@code model_type} "blip", {@code BlipForImageTextRetrieval}),
     * model.safetensors, tokenizer.json or vocab.txt, and preprocessor_config.json or
     * processor_config.json. A config far bigger than the weights is refused before anything is
     * allocated; a missing, unexpected or mis-shaped tensor is a one-line error naming it.
     */
    public static BlipMatcher load(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) throw new IllegalArgumentException("BLIP folder " + folder + " is not a directory");
        Path configFile = folder.resolve("config.json"), weightsFile = folder.resolve("model.safetensors");
        if (!Files.isRegularFile(configFile)) throw new IllegalArgumentException("BLIP folder " + folder + ": config.json is missing");
        if (!Files.isRegularFile(weightsFile)) {
            throw new IllegalArgumentException("BLIP folder " + folder + ": model.safetensors is missing"
                    + (Files.exists(folder.resolve("pytorch_model.bin")) ? " (pytorch_model.bin is a pickle; convert it to safetensors)" : ""));
        }
        BlipConfig config = BlipConfig.read(configFile);
        BlipProcessor processor = BlipProcessor.load(folder, config);
        SafetensorsReader reader = SafetensorsReader.open(weightsFile);
        try {
            return new BlipMatcher(build(config, reader, weightsFile.toString()), processor, reader);
        } catch (RuntimeException e) {
            reader.close();
            throw e;
        }
    }

    /** The model over the reader's tensors, mapped as they are; every name and shape checked. */
    private static BlipRetrievalModel build(BlipConfig config, SafetensorsReader reader, String source) {
        config.checkFits(BlipWeights.held(reader, BlipWeights::recomputed), source); // before allocating
        BlipRetrievalModel model = new BlipRetrievalModel(Rng.forLoadedWeights(), config); // every tensor is loaded below, or this fails
        BlipWeights.load(model, reader, BlipWeights::recomputed, source, "BlipForImageTextRetrieval of this config ("
                + config.vision().layers() + " vision and " + config.text().layers() + " text layers)");
        return model;
    }

    private List<Tensor> parameters() {
        return model.namedParameters().values().stream().map(Parameter::value).toList();
    }

    public BlipRetrievalModel model() {
        return model;
    }

    public BlipProcessor processor() {
        return processor;
    }

    public BlipConfig config() {
        return model.config();
    }

    @Override
    public List<PairScore> scorePairs(List<RgbImage> images, List<String> texts) {
        if (images.size() != texts.size()) {
            throw new IllegalArgumentException("BLIP: " + images.size() + " images for " + texts.size() + " texts; pairs need one of each");
        }
        List<PairScore> out = new ArrayList<>(images.size());
        try (var ignored = GradMode.noGrad()) {
            for (int from = 0; from < images.size(); from += CHUNK) {
                int to = Math.min(images.size(), from + CHUNK);
                out.addAll(scoreChunk(images.subList(from, to), texts.subList(from, to)));
            }
        }
        return out;
    }

    /** One forward pass over N pairs; an image given several times (the same object) is encoded once. */
    private List<PairScore> scoreChunk(List<RgbImage> images, List<String> texts) {
        int n = images.size();
        Map<RgbImage, Integer> index = new IdentityHashMap<>();
        List<RgbImage> distinct = new ArrayList<>();
        int[] imageOf = new int[n];
        for (int i = 0; i < n; i++) {
            imageOf[i] = index.computeIfAbsent(images.get(i), im -> {
                distinct.add(im);
                return distinct.size() - 1;
            });
        }
        Tensor states = model.imageStates(processor.pixelValues(distinct)); // (U, S, Cv)
        int s = states.size(1), cv = states.size(2);
        Tensor perPair = distinct.size() == n ? states
                : states.reshape(distinct.size(), s * cv).indexSelect(0, imageOf).reshape(n, s, cv); // (N, S, Cv)

        TokenBatch tokens = processor.tokenize(texts);
        int t = tokens.length();
        float[] maskValues = new float[n * t]; // (N, T)
        boolean padded = false;
        for (int i = 0; i < maskValues.length; i++) {
            maskValues[i] = tokens.attentionMask()[i];
            padded |= maskValues[i] == 0;
        }
        Tensor mask = padded ? Tensor.of(maskValues, n, t) : null;                              // (N, T)
        float[] logits = model.matchLogits(tokens.ids(), mask, n, t, perPair).toArray();       // (N, 2)
        float[] imageFeatures = model.imageFeatures(states).toArray();                         // (U, E)
        float[] textFeatures = model.textFeatures(tokens.ids(), mask, n, t).toArray();         // (N, E)

        int e = model.config().embedDim();
        List<PairScore> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            double match = 1 / (1 + Math.exp((double) logits[2 * i] - logits[2 * i + 1])); // softmax(logits)[1]
            out.add(new PairScore(match, cosine(imageFeatures, imageOf[i] * e, textFeatures, i * e, e)));
        }
        return out;
    }

    /** a·b / (max(|a|, 1e-12) · max(|b|, 1e-12)), torch's normalize then the dot product, in double. */
    private static double cosine(float[] a, int ao, float[] b, int bo, int e) {
        double dot = 0, na = 0, nb = 0;
        for (int k = 0; k < e; k++) {
            dot += (double) a[ao + k] * b[bo + k];
            na += (double) a[ao + k] * a[ao + k];
            nb += (double) b[bo + k] * b[bo + k];
        }
        return dot / (Math.max(Math.sqrt(na), 1e-12) * Math.max(Math.sqrt(nb), 1e-12));
    }

    /** Releases the weights from the compute provider and unmaps them; the matcher is unusable afterwards. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        ComputeProvider.get().release(parameters());
        weights.close();
    }
}
