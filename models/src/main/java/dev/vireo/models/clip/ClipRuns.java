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

    public static ClipModel load(Path dir) throws IOException {
        Path config = dir.resolve("config.json"), ckpt = dir.resolve("checkpoint.safetensors");
        if (!Files.isDirectory(dir)) throw new IllegalArgumentException("model folder " + dir + " does not exist");
        if (!Files.isRegularFile(config)) throw new IllegalArgumentException("model folder " + dir + " has no config.json");
        if (!Files.isRegularFile(ckpt)) throw new IllegalArgumentException("model folder " + dir + " has no checkpoint.safetensors");
        Checkpoint checkpoint = Checkpoint.load(ckpt);
        ClipConfig modelConfig = ClipConfig.fromJson(config);
        // runs trained with SigLIP before the config said so keep the bias in the checkpoint alone
        if (checkpoint.model().containsKey(ClipModel.LOGIT_BIAS)) modelConfig = modelConfig.withLogitBias(true);
        modelConfig.checkFits(checkpoint.model().values().stream().mapToLong(Tensor::numel).sum(), dir.toString()); // before allocating
        ClipModel model = new ClipModel(modelConfig, Rng.forLoadedWeights()); // restoreModel fails unless every weight is there
        Map<String, Tensor> params = new LinkedHashMap<>();
        model.namedParameters().forEach((k, p) -> params.put(k, p.value()));
        checkpoint.restoreModel(params);
        model.eval();
        return model;
    }
}
