package dev.vireo.models.vilt;

import dev.vireo.engine.io.OneLine;
import dev.vireo.engine.io.SafetensorsReader;
import dev.vireo.engine.nn.Module;
import dev.vireo.engine.nn.Parameter;
import dev.vireo.engine.tensor.ComputeProvider;
import dev.vireo.engine.tensor.GradMode;
import dev.vireo.engine.tensor.Rng;
import dev.vireo.engine.tensor.Tensor;
import dev.vireo.models.generate.GenerationConfig;
import dev.vireo.models.image.RgbImage;
import dev.vireo.models.text.TokenBatch;
import dev.vireo.models.vqa.VisualQuestionAnswerer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A Hugging Face {@code ViltForQuestionAnswering} folder (as {@code save_pretrained} writes it, with
 * its processor's files) as a {@link VisualQuestionAnswerer}: the answer is {@code id2label} of the
 * largest logit, as transformers' model card reads it, and the top answers are scored by the
 * sigmoid of their logits, best first, as transformers' visual-question-answering pipeline scores
 * them. A classifier: the generation settings are not used. Weights stay memory-mapped (read-only)
 * until {@link #close()}. The model runs in float, the sigmoid in double.
 */
public final class ViltAnswerer implements VisualQuestionAnswerer {
    /** Pairs answered per forward pass: bounds the activations of a long list. */
    private static final int CHUNK = 16;

    private final ViltQuestionAnswering model;
    private final ViltProcessor processor;
    private final SafetensorsReader weights;
    private boolean closed;

    private ViltAnswerer(ViltQuestionAnswering model, ViltProcessor processor, SafetensorsReader weights) {
        this.model = model;
        this.processor = processor;
        this.weights = weights;
        ComputeProvider.get().register(parameters());
    }

    /**
     * Loads a folder: config.json ({@code model_type} "vilt", {@code ViltForQuestionAnswering}),
     * model.safetensors, tokenizer.json or vocab.txt, and preprocessor_config.json or
     * processor_config.json. A config far bigger than the weights is refused before anything is
     * allocated; a missing, unexpected or mis-shaped tensor is a one-line error naming it.
     */
    public static ViltAnswerer load(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) throw new IllegalArgumentException(OneLine.of("ViLT folder " + folder + " is not a directory"));
        Path configFile = folder.resolve("config.json"), weightsFile = folder.resolve("model.safetensors");
        if (!Files.isRegularFile(configFile)) throw new IllegalArgumentException(OneLine.of("ViLT folder " + folder + ": config.json is missing"));
        if (!Files.isRegularFile(weightsFile)) {
            throw new IllegalArgumentException(OneLine.of("ViLT folder " + folder + ": model.safetensors is missing"
                    + (Files.exists(folder.resolve("pytorch_model.bin")) ? " (pytorch_model.bin is a pickle; convert it to safetensors)" : "")));
        }
        ViltConfig config = ViltConfig.read(configFile);
        ViltProcessor processor = ViltProcessor.load(folder, config);
        SafetensorsReader reader = SafetensorsReader.open(weightsFile);
        try {
            return new ViltAnswerer(build(config, reader, weightsFile.toString()), processor, reader);
        } catch (RuntimeException e) {
            reader.close();
            throw e;
        }
    }

    /** The model over the reader's tensors, mapped as they are; every name and shape checked. */
    private static ViltQuestionAnswering build(ViltConfig config, SafetensorsReader reader, String source) {
        long held = 0;
        for (String name : reader.names()) if (!ignored(name)) held += reader.entry(name).numel();
        config.checkFits(held, source); // before allocating
        Map<String, Tensor> state = new LinkedHashMap<>();
        for (String name : reader.names()) if (!ignored(name)) state.put(name, reader.tensor(name));
        ViltQuestionAnswering model = new ViltQuestionAnswering(Rng.forLoadedWeights(), config); // every tensor is loaded below, or this fails
        Module.LoadResult r;
        try {
            r = model.loadStateDict(state, false, false);
        } catch (IllegalArgumentException e) { // a shape mismatch, naming the tensor
            throw new IllegalArgumentException(OneLine.of(source + ": " + e.getMessage()), e);
        }
        if (!r.missing().isEmpty() || !r.unexpected().isEmpty()) {
            throw new IllegalArgumentException(OneLine.of(source + ": not a ViltForQuestionAnswering of this config ("
                    + config.text().layers() + " layers, width " + config.hidden() + ", " + config.numLabels() + " answers): missing "
                    + few(r.missing()) + ", unexpected " + few(new ArrayList<>(new TreeSet<>(r.unexpected())))));
        }
        model.eval();
        model.freeze();
        return model;
    }

    /** Buffers some checkpoints carry that transformers recomputes ({@code text_embeddings.position_ids}, {@code token_type_ids}). */
    private static boolean ignored(String name) {
        return name.endsWith(".position_ids") || name.endsWith("text_embeddings.token_type_ids");
    }

    /** Up to 8 names and how many more: a foreign checkpoint's hundreds would say nothing more. */
    private static String few(List<String> names) {
        if (names.size() <= 8) return names.toString();
        return names.subList(0, 8) + " and " + (names.size() - 8) + " more";
    }

    private List<Tensor> parameters() {
        return model.namedParameters().values().stream().map(Parameter::value).toList();
    }

    public ViltQuestionAnswering model() {
        return model;
    }

    public ViltProcessor processor() {
        return processor;
    }

    public ViltConfig config() {
        return model.config();
    }

    /** The answer logits (N, answers) of N pairs, as transformers' {@code outputs.logits}. */
    public float[][] logits(List<RgbImage> images, List<String> questions) {
        if (images.size() != questions.size()) {
            throw new IllegalArgumentException("ViLT: " + images.size() + " images for " + questions.size() + " questions; pairs need one of each");
        }
        int labels = config().numLabels();
        float[][] out = new float[images.size()][];
        try (var ignored = GradMode.noGrad()) {
            for (int from = 0; from < images.size(); from += CHUNK) {
                int to = Math.min(images.size(), from + CHUNK);
                TokenBatch tokens = processor.tokenize(questions.subList(from, to));
                ViltImageProcessor.Pixels pixels = processor.pixelValues(images.subList(from, to));
                float[] flat = model.logits(tokens.ids(), tokens.attentionMask(), tokens.batch(), tokens.length(), pixels).toArray(); // (n, answers)
                for (int i = 0; i < to - from; i++) out[from + i] = Arrays.copyOfRange(flat, i * labels, (i + 1) * labels);
            }
        }
        return out;
    }

    @Override
    public List<Answer> answer(List<RgbImage> images, List<String> questions, int topK, GenerationConfig generation) {
        if (topK < 0) throw new IllegalArgumentException("ViLT: top-k must be non-negative, got " + topK);
        List<String> labels = config().labels();
        List<Answer> out = new ArrayList<>(images.size());
        for (float[] row : logits(images, questions)) {
            int best = 0;
            for (int j = 1; j < row.length; j++) if (row[j] > row[best]) best = j; // the first of equal maxima, as torch's argmax
            Integer[] order = new Integer[row.length];
            for (int j = 0; j < order.length; j++) order[j] = j;
            Arrays.sort(order, Comparator.comparingDouble((Integer j) -> -row[j]).thenComparingInt(j -> j));
            List<Scored> top = new ArrayList<>();
            for (int k = 0; k < Math.min(topK, row.length); k++) {
                top.add(new Scored(labels.get(order[k]), 1 / (1 + Math.exp(-(double) row[order[k]])))); // sigmoid
            }
            out.add(new Answer(labels.get(best), List.copyOf(top)));
        }
        return out;
    }

    /** Releases the weights from the compute provider and unmaps them; the answerer is unusable afterwards. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        ComputeProvider.get().release(parameters());
        weights.close();
    }
}
