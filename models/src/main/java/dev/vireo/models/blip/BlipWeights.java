package dev.vireo.models.blip;

import dev.vireo.engine.io.OneLine;
import dev.vireo.engine.io.SafetensorsReader;
import dev.vireo.engine.nn.Module;
import dev.vireo.engine.tensor.Tensor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * Loading a BLIP head's safetensors into its module: the tensors are mapped as they are, every
 * name and shape checked, and a missing, unexpected or mis-shaped tensor is a one-line error
 * naming it. Names the caller ignores (buffers transformers recomputes, tied copies) are skipped.
 */
final class BlipWeights {
    private BlipWeights() {}

    /**
     * Checks a saved folder holds config.json and model.safetensors (a pickled pytorch_model.bin is
     * named as what to convert); returns model.safetensors.
     */
    static Path weightsOf(Path folder) {
        if (!Files.isDirectory(folder)) throw new IllegalArgumentException("BLIP folder " + folder + " is not a directory");
        Path configFile = folder.resolve("config.json"), weightsFile = folder.resolve("model.safetensors");
        if (!Files.isRegularFile(configFile)) throw new IllegalArgumentException("BLIP folder " + folder + ": config.json is missing");
        if (!Files.isRegularFile(weightsFile)) {
            throw new IllegalArgumentException("BLIP folder " + folder + ": model.safetensors is missing"
                    + (Files.exists(folder.resolve("pytorch_model.bin")) ? " (pytorch_model.bin is a pickle; convert it to safetensors)" : ""));
        }
        return weightsFile;
    }

    /** The LM head's decoder weight and bias, which transformers ties to the word embeddings and {@code cls.predictions.bias} (older checkpoints save the copies). */
    static boolean tiedCopy(String name) {
        return name.equals("text_decoder.cls.predictions.decoder.weight") || name.equals("text_decoder.cls.predictions.decoder.bias");
    }

    /** Buffers some checkpoints carry that transformers recomputes ({@code embeddings.position_ids}). */
    static boolean recomputed(String name) {
        return name.endsWith(".position_ids");
    }

    /** How many weights the checkpoint holds, the ignored names left out: for a config's size check before allocating. */
    static long held(SafetensorsReader reader, Predicate<String> ignored) {
        long held = 0;
        for (String name : reader.names()) if (!ignored.test(name)) held += reader.entry(name).numel();
        return held;
    }

    /** Loads every tensor of the reader (less the ignored) into {@code model}, which must take each one and miss none. */
    static void load(Module model, SafetensorsReader reader, Predicate<String> ignored, String source, String what) {
        Map<String, Tensor> state = new LinkedHashMap<>();
        for (String name : reader.names()) if (!ignored.test(name)) state.put(name, reader.tensor(name));
        Module.LoadResult r;
        try {
            r = model.loadStateDict(state, false, false);
        } catch (IllegalArgumentException e) { // a shape mismatch, naming the tensor
            throw new IllegalArgumentException(OneLine.of(source + ": " + e.getMessage()), e);
        }
        if (!r.missing().isEmpty() || !r.unexpected().isEmpty()) {
            throw new IllegalArgumentException(OneLine.of(source + ": not a " + what + ": missing "
                    + few(r.missing()) + ", unexpected " + few(new ArrayList<>(new TreeSet<>(r.unexpected())))));
        }
        model.eval();
        model.freeze();
    }

    /** Up to 8 names and how many more: a foreign checkpoint's hundreds would say nothing more. */
    private static String few(List<String> names) {
        if (names.size() <= 8) return names.toString();
        return names.subList(0, 8) + " and " + (names.size() - 8) + " more";
    }
}
