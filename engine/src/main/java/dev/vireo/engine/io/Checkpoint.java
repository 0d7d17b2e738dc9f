package dev.vireo.engine.io;

import dev.vireo.engine.optim.OptimizerState;
import dev.vireo.engine.tensor.Rng;
import dev.vireo.engine.tensor.Shapes;
import dev.vireo.engine.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A training checkpoint: model weights, optimiser state, an optional EMA of the weights, step, RNG
 * state and the run's config (a JSON string). Stored as one safetensors file, so any safetensors
 * tool can read the weights: tensors {@code model/<name>}, {@code optimizer/<key>}, {@code ema/<key>};
 * {@code __metadata__} holds {@code format}, {@code step}, {@code rng_state}, {@code config},
 * {@code optimizer} and {@code ema} (their types), {@code optimizer.<scalar>} and {@code ema.<scalar>},
 * and {@code checksum} over all of it ({@link CheckpointChecksum}: loading refuses a file that changed
 * after it was written). Saving replaces the file atomically ({@link AtomicFiles}): a crash mid-save
 * leaves the previous checkpoint intact. Tensors here are snapshots, not live parameters; optimizer and ema may be null.
 */
public record Checkpoint(long step, long rngState, String configJson, Map<String, Tensor> model, OptimizerState optimizer,
                         OptimizerState ema) {
    /** Value of the {@code format} metadata key. */
    public static final String FORMAT = "vireo-checkpoint-1";
    static final String MODEL = "model/";
    static final String OPTIMIZER = "optimizer";
    static final String EMA = "ema";

    public Checkpoint {
        model = Collections.unmodifiableMap(new LinkedHashMap<>(model));
    }

    /** Snapshots live training state: copies of {@code params}' values, the optimiser's state (may be null) and the generator's state. */
    public static Checkpoint capture(long step, Rng rng, String configJson, Map<String, Tensor> params, OptimizerState optimizer) {
        return capture(step, rng, configJson, params, optimizer, null);
    }

    /** As {@link #capture(long, Rng, String, Map, OptimizerState)}, with the state of an EMA of the weights. */
    public static Checkpoint capture(long step, Rng rng, String configJson, Map<String, Tensor> params, OptimizerState optimizer,
                                     OptimizerState ema) {
        Map<String, Tensor> copies = new LinkedHashMap<>();
        params.forEach((name, p) -> copies.put(name, Tensor.of(p.toArray(), p.shape())));
        return new Checkpoint(step, rng.state(), configJson, copies, optimizer, ema);
    }

    /** Writes this checkpoint to {@code file}, atomically replacing any previous one. */
    public void save(Path file) throws IOException {
        Map<String, String> meta = new TreeMap<>();
        meta.put("format", FORMAT);
        meta.put("step", Long.toString(step));
        meta.put("rng_state", Long.toString(rngState));
        meta.put("config", configJson == null ? "" : configJson);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        model.forEach((name, t) -> tensors.put(MODEL + name, t));
        put(meta, tensors, OPTIMIZER, optimizer);
        put(meta, tensors, EMA, ema);
        meta.put(CheckpointChecksum.KEY, CheckpointChecksum.of(meta, tensors));
        SafetensorsWriter w = new SafetensorsWriter();
        meta.forEach(w::metadata);
        tensors.forEach(w::put);
        AtomicFiles.write(file, w::writeTo);
    }

    /** A state's type as metadata {@code part}, its scalars as {@code part.<key>}, its tensors as {@code part/<key>}. */
    private static void put(Map<String, String> meta, Map<String, Tensor> tensors, String part, OptimizerState state) {
        if (state == null) return;
        meta.put(part, state.type());
        state.scalars().forEach((k, v) -> meta.put(part + "." + k, v));
        state.tensors().forEach((k, t) -> tensors.put(part + "/" + k, t));
    }

    /**
     * A checkpoint's model weights for inference, where they are: read-only views of the memory-mapped
     * file ({@code model/} tensors, names without the prefix), open until {@link #close()}. Neither the
     * weights nor the optimiser's and EMA's tensors are copied into the heap, yet every byte of the file
     * is checked against the checksum, in place, as {@link #load} checks it: a run served from its
     * folder pays for its weights once, in the page cache, instead of three heap copies.
     */
    public record MappedModel(long step, String configJson, Map<String, Tensor> model, SafetensorsReader file) implements AutoCloseable {
        public MappedModel {
            model = Collections.unmodifiableMap(new LinkedHashMap<>(model));
        }

        @Override
        public void close() {
            file.close();
        }
    }

    /** Maps the checkpoint {@code file} and checks it (format, tensor names, checksum); see {@link MappedModel}. */
    public static MappedModel mapModel(Path file) throws IOException {
        SafetensorsReader r = SafetensorsReader.open(file);
        try {
            Map<String, String> meta = r.metadata();
            checkFormat(file, meta);
            Map<String, Tensor> model = new LinkedHashMap<>();
            for (String name : r.names()) {
                String part = partOf(name);
                if (name.startsWith(MODEL)) model.put(name.substring(MODEL.length()), r.tensor(name));
                else if (!part.equals(OPTIMIZER) && !part.equals(EMA)) throw notAPart(file, name);
            }
            CheckpointChecksum.verifyMapped(r);
            return new MappedModel(number(file, meta, "step"), meta.get("config"), model, r);
        } catch (RuntimeException e) {
            r.close();
            throw e;
        }
    }

    /** Reads a checkpoint into heap tensors (the file is closed afterwards). */
    public static Checkpoint load(Path file) throws IOException {
        try (SafetensorsReader r = SafetensorsReader.open(file)) {
            Map<String, String> meta = r.metadata();
            checkFormat(file, meta);
            Map<String, Tensor> model = new LinkedHashMap<>(), stored = new LinkedHashMap<>();
            Map<String, Map<String, Tensor>> parts = Map.of(OPTIMIZER, new TreeMap<>(), EMA, new TreeMap<>());
            for (String name : r.names()) {
                Tensor t = r.tensor(name);
                Tensor copy = Tensor.of(t.toArray(), t.shape());
                stored.put(name, copy);
                String part = partOf(name);
                if (name.startsWith(MODEL)) model.put(name.substring(MODEL.length()), copy);
                else if (parts.containsKey(part)) parts.get(part).put(name.substring(part.length() + 1), copy);
                else throw notAPart(file, name);
            }
            CheckpointChecksum.verify(file.toString(), meta, stored);
            return new Checkpoint(number(file, meta, "step"), number(file, meta, "rng_state"), meta.get("config"), model,
                    state(meta, OPTIMIZER, parts.get(OPTIMIZER)), state(meta, EMA, parts.get(EMA)));
        }
    }

    private static void checkFormat(Path file, Map<String, String> meta) {
        if (!FORMAT.equals(meta.get("format"))) {
            throw new CheckpointFormatException("checkpoint " + file + ": format is " + meta.get("format") + ", expected " + FORMAT);
        }
    }

    /** What a stored tensor name is under: the text before its first '/', or "" when it has none. */
    private static String partOf(String name) {
        int slash = name.indexOf('/');
        return slash < 0 ? "" : name.substring(0, slash);
    }

    private static CheckpointFormatException notAPart(Path file, String name) {
        return new CheckpointFormatException("checkpoint " + file + ": tensor '" + name + "' is not under model/, optimizer/ or ema/");
    }

    /** The state saved under {@code part}, or null when the file has none. */
    private static OptimizerState state(Map<String, String> meta, String part, Map<String, Tensor> tensors) {
        if (!meta.containsKey(part)) return null;
        Map<String, String> scalars = new TreeMap<>();
        meta.forEach((k, v) -> {
            if (k.startsWith(part + ".")) scalars.put(k.substring(part.length() + 1), v);
        });
        return new OptimizerState(meta.get(part), scalars, tensors);
    }

    private static long number(Path file, Map<String, String> meta, String key) {
        try {
            return Long.parseLong(meta.get(key));
        } catch (NumberFormatException e) {
            throw new CheckpointFormatException("checkpoint " + file + ": metadata '" + key + "' is " + meta.get(key) + ", not an integer", e);
        }
    }

    /**
     * Copies the saved weights into {@code params}: names must match exactly, and shapes too (the
     * error names the tensor and both shapes). Nothing is copied unless everything matches.
     */
    public void restoreModel(Map<String, Tensor> params) {
        checkMatches(model, params);
        for (Map.Entry<String, Tensor> e : params.entrySet()) {
            if (!e.getValue().isContiguous() || !e.getValue().storage().isHeap()) {
                throw new IllegalArgumentException("checkpoint: parameter '" + e.getKey() + "' must be a contiguous heap tensor");
            }
        }
        params.forEach((name, p) -> System.arraycopy(model.get(name).toArray(), 0, p.array(), p.offset(), p.numel()));
    }

    /**
     * Checks saved weights against a model's parameters before anything is loaded: every parameter
     * has weights of its shape and every saved tensor a parameter (errors name the tensor and both shapes).
     */
    public static void checkMatches(Map<String, Tensor> saved, Map<String, Tensor> params) {
        for (Map.Entry<String, Tensor> e : params.entrySet()) {
            Tensor weights = saved.get(e.getKey());
            if (weights == null) throw new CheckpointFormatException("checkpoint: no weights for parameter '" + e.getKey() + "'");
            if (!Shapes.equal(weights.shape(), e.getValue().shape())) {
                throw new CheckpointFormatException("checkpoint: tensor '" + e.getKey() + "' has shape " + Shapes.str(weights.shape())
                        + " but the parameter it loads into has shape " + Shapes.str(e.getValue().shape()));
            }
        }
        for (String name : saved.keySet()) {
            if (!params.containsKey(name)) throw new CheckpointFormatException("checkpoint: weights for '" + name + "' match no parameter");
        }
    }
}
