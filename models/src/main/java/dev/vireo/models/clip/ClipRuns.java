package dev.vireo.models.clip;

import dev.vireo.engine.io.Checkpoint;
import dev.vireo.engine.tensor.Rng;
import dev.vireo.engine.tensor.Tensor;
import dev.vireo.models.config.ClipConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Loads a model from a Vireo run folder ({@code config.json} + {@code checkpoint.safetensors}). */
public final class ClipRuns {
    private ClipRuns() {}

    /** The model of a run folder in heap tensors, as training left it (a model to train further). */
    public static ClipModel load(Path dir) throws IOException {
        Path ckpt = checkpointOf(dir);
        Checkpoint checkpoint = Checkpoint.load(ckpt);
        ClipModel model = build(dir, checkpoint.model());
        checkpoint.restoreModel(parameters(model));
        model.eval();
        return model;
    }

    /** A run folder's model whose weights stay in the memory-mapped checkpoint; closing it unmaps them. */
    public record Mapped(ClipModel model, Checkpoint.MappedModel weights) implements AutoCloseable {
        @Override
        public void close() {
            weights.close();
        }
    }

    /**
     * The model of a run folder for inference: its parameters are read-only views of the mapped
     * checkpoint (the optimiser's moments, twice the model, are never read into the heap; the whole
     * file is still checked against its checksum). The same values as {@link #load}, hence the same
     * features to the bit.
     */
    public static Mapped loadMapped(Path dir) throws IOException {
        Checkpoint.MappedModel weights = Checkpoint.mapModel(checkpointOf(dir));
        try {
            ClipModel model = build(dir, weights.model());
            Checkpoint.checkMatches(weights.model(), parameters(model));
            model.loadStateDict(weights.model(), false, false); // parameters take the mapped views
            model.eval();
            return new Mapped(model, weights);
        } catch (RuntimeException e) {
            weights.close();
            throw e;
        }
    }

    private static Path checkpointOf(Path dir) {
        Path config = dir.resolve("config.json"), ckpt = dir.resolve("checkpoint.safetensors");
        if (!Files.isDirectory(dir)) throw new IllegalArgumentException("model folder " + dir + " does not exist");
        if (!Files.isRegularFile(config)) throw new IllegalArgumentException("model folder " + dir + " has no config.json");
        if (!Files.isRegularFile(ckpt)) throw new IllegalArgumentException("model folder " + dir + " has no checkpoint.safetensors");
        return ckpt;
    }

    /** The folder's config, checked against the saved weights' size, as a model built without drawing its weights. */
    private static ClipModel build(Path dir, Map<String, Tensor> saved) {
        ClipConfig modelConfig = ClipConfig.fromJson(dir.resolve("config.json"));
        // runs trained with SigLIP before the config said so keep the bias in the checkpoint alone
        if (saved.containsKey(ClipModel.LOGIT_BIAS)) modelConfig = modelConfig.withLogitBias(true);
        modelConfig.checkFits(saved.values().stream().mapToLong(Tensor::numel).sum(), dir.toString()); // before allocating
        return new ClipModel(modelConfig, Rng.forLoadedWeights()); // every weight is loaded by the caller, or it fails
    }

    /** The model's parameter values by name. */
    private static Map<String, Tensor> parameters(ClipModel model) {
        Map<String, Tensor> params = new LinkedHashMap<>();
        model.namedParameters().forEach((k, p) -> params.put(k, p.value()));
        return params;
    }
}
