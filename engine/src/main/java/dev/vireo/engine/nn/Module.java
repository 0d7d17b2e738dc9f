package dev.vireo.engine.nn;

import dev.vireo.engine.tensor.Shapes;
import dev.vireo.engine.tensor.Tensor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A building block with named parameters, buffers and child modules, addressed by dotted paths in
 * the naming scheme of PyTorch state dicts ({@code encoder.layers.3.self_attn.q_proj.weight}).
 * Registration order is kept, so parameter lists and checkpoints are deterministic.
 */
public abstract class Module {
    private final Map<String, Parameter> parameters = new LinkedHashMap<>();
    private final Map<String, Tensor> buffers = new LinkedHashMap<>();
    private final Map<String, Module> children = new LinkedHashMap<>();
    private boolean training = true;

    /** Registers a parameter under {@code name}; returns it. */
    protected final Parameter parameter(String name, Tensor initial) {
        checkName(name);
        Parameter p = new Parameter(initial);
        parameters.put(name, p);
        return p;
    }

    /** Registers a non-learnable tensor saved in the state dict (running statistics, position ids). */
    protected final Tensor buffer(String name, Tensor value) {
        checkName(name);
        buffers.put(name, value);
        return value;
    }

    /** Registers a child module under {@code name}; returns it. */
    protected final <M extends Module> M child(String name, M module) {
        checkName(name);
        children.put(name, module);
        return module;
    }

    private void checkName(String name) {
        if (name.isEmpty() || name.contains(".")) throw new IllegalArgumentException("module: bad name '" + name + "'");
        if (parameters.containsKey(name) || buffers.containsKey(name) || children.containsKey(name)) {
            throw new IllegalArgumentException("module: name '" + name + "' registered twice");
        }
    }

    /** Every parameter of this sub-tree by dotted path, in registration order. */
    public final Map<String, Parameter> namedParameters() {
        Map<String, Parameter> out = new LinkedHashMap<>();
        collectParameters("", out);
        return out;
    }

    private void collectParameters(String prefix, Map<String, Parameter> out) {
        parameters.forEach((n, p) -> out.put(prefix + n, p));
        children.forEach((n, c) -> c.collectParameters(prefix + n + ".", out));
    }

    /** The current tensors of every trainable parameter, in registration order. */
    public final List<Tensor> trainableParameters() {
        List<Tensor> out = new ArrayList<>();
        for (Parameter p : namedParameters().values()) if (p.trainable()) out.add(p.value());
        return out;
    }

    /** Number of scalar weights (trainable or not). */
    public final long parameterCount() {
        long n = 0;
        for (Parameter p : namedParameters().values()) n += p.value().numel();
        return n;
    }

    /** Parameters and buffers by dotted path: what a checkpoint stores. */
    public final Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        collectState("", out);
        return out;
    }

    private void collectState(String prefix, Map<String, Tensor> out) {
        parameters.forEach((n, p) -> out.put(prefix + n, p.value()));
        buffers.forEach((n, b) -> out.put(prefix + n, b));
        children.forEach((n, c) -> c.collectState(prefix + n + ".", out));
    }

    /** What {@link #loadStateDict} found: keys the model wanted but did not get, and keys it did not know. */
    public record LoadResult(List<String> missing, List<String> unexpected) {}

    /**
     * Copies tensors into this sub-tree's parameters and buffers. A shape mismatch is always an
     * error naming the tensor and both shapes; in strict mode, missing or unexpected keys are too.
     * With {@code copy = false}, parameters take the given tensors as they are (memory-mapped
     * weights stay mapped).
     */
    public final LoadResult loadStateDict(Map<String, Tensor> state, boolean strict, boolean copy) {
        Map<String, Parameter> params = namedParameters();
        Map<String, Tensor> own = stateDict();
        List<String> missing = new ArrayList<>();
        for (String key : own.keySet()) if (!state.containsKey(key)) missing.add(key);
        List<String> unexpected = new ArrayList<>(new TreeSet<>(state.keySet()));
        unexpected.removeAll(own.keySet());
        if (strict && (!missing.isEmpty() || !unexpected.isEmpty())) {
            throw new IllegalArgumentException("loadStateDict: missing keys " + missing + ", unexpected keys " + unexpected);
        }
        for (Map.Entry<String, Tensor> e : own.entrySet()) {
            Tensor src = state.get(e.getKey());
            if (src == null) continue;
            Parameter p = params.get(e.getKey());
            if (p != null) {
                if (copy) p.copyFrom(e.getKey(), src);
                else p.set(e.getKey(), src);
            } else {
                Tensor dst = e.getValue();
                if (!Shapes.equal(dst.shape(), src.shape())) {
                    throw new IllegalArgumentException("buffer " + e.getKey() + ": checkpoint shape " + Shapes.str(src.shape())
                            + " does not match the model's " + Shapes.str(dst.shape()));
                }
                float[] v = src.toArray();
                for (int i = 0; i < v.length; i++) dst.storage().set(dst.offset() + i, v[i]);
            }
        }
        return new LoadResult(missing, unexpected);
    }

    /** Training mode (dropout active) for this sub-tree. */
    public final Module train(boolean on) {
        training = on;
        children.values().forEach(c -> c.train(on));
        return this;
    }

    /** Evaluation mode: same as {@code train(false)}. */
    public final Module eval() {
        return train(false);
    }

    public final boolean isTraining() {
        return training;
    }

    /** Stops gradients for every parameter of this sub-tree (locked-tower tuning). */
    public final Module freeze() {
        namedParameters().values().forEach(p -> p.setTrainable(false));
        return this;
    }

    public final Module unfreeze() {
        namedParameters().values().forEach(p -> p.setTrainable(true));
        return this;
    }

    /** Clears the accumulated gradients of every parameter. */
    public final void zeroGrad() {
        namedParameters().values().forEach(p -> p.value().zeroGrad());
    }

    /** A child by name, for navigating a tree ({@code model.child("visual")}). */
    public final Module child(String name) {
        Module m = children.get(name);
        if (m == null) throw new IllegalArgumentException("module has no child '" + name + "'; children: " + children.keySet());
        return m;
    }
}
