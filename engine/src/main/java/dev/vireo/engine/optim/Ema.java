package dev.vireo.engine.optim;

import dev.vireo.engine.tensor.Tensor;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An exponential moving average of weights (Polyak averaging): after each optimiser step,
 * {@code shadow = d·shadow + (1 − d)·param}. With warm-up the decay is {@code min(d, (1 + n)/(10 + n))}
 * after n updates (TensorFlow's ExponentialMovingAverage with num_updates), so early averages are
 * not dominated by the random initialisation.
 */
public final class Ema {
    public static final String TYPE = "ema";

    private final Map<String, Tensor> params;
    private final Map<String, float[]> shadow = new LinkedHashMap<>();
    private final double decay;
    private final boolean warmup;
    private long updates;

    /** Starts the averages at the current values of {@code params}. */
    public Ema(Map<String, Tensor> params, double decay, boolean warmup) {
        if (!(decay >= 0 && decay <= 1)) throw new IllegalArgumentException("EMA: decay must be in [0, 1], got " + decay);
        this.params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
        this.decay = decay;
        this.warmup = warmup;
        params.forEach((name, p) -> shadow.put(name, p.toArray()));
    }

    /** The decay the next update uses. */
    public double currentDecay() {
        return warmup ? Math.min(decay, (1.0 + updates) / (10.0 + updates)) : decay;
    }

    /** Folds the current parameter values into the averages. */
    public void update() {
        float d = (float) currentDecay();
        float keep = 1f - d;
        for (Map.Entry<String, Tensor> e : params.entrySet()) {
            Tensor p = e.getValue().dense();
            float[] data = p.array();
            int off = p.offset();
            float[] s = shadow.get(e.getKey());
            for (int i = 0; i < s.length; i++) s[i] = d * s[i] + keep * data[off + i];
        }
        updates++;
    }

    /** The averaged value of {@code name} (a copy). */
    public Tensor averaged(String name) {
        float[] s = shadow.get(name);
        if (s == null) throw new IllegalArgumentException("EMA: no parameter '" + name + "'");
        return Tensor.of(s.clone(), params.get(name).shape());
    }

    /** Copies the averages into {@code target} (same names and shapes), e.g. a model used for evaluation. */
    public void copyTo(Map<String, Tensor> target) {
        for (Map.Entry<String, float[]> e : shadow.entrySet()) {
            Tensor t = target.get(e.getKey());
            if (t == null || t.numel() != e.getValue().length || !t.isContiguous() || !t.storage().isHeap()) {
                throw new IllegalArgumentException("EMA copyTo: target has no contiguous heap parameter '" + e.getKey() + "' of shape "
                        + Arrays.toString(params.get(e.getKey()).shape()));
            }
            System.arraycopy(e.getValue(), 0, t.array(), t.offset(), t.numel());
        }
    }

    public long updates() {
        return updates;
    }

    /** A copy of the averages and the update count, for checkpoints. */
    public OptimizerState state() {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        shadow.forEach((name, s) -> tensors.put(name, Tensor.of(s.clone(), params.get(name).shape())));
        return new OptimizerState(TYPE, Map.of("updates", Long.toString(updates), "decay", Double.toString(decay)), tensors);
    }

    /** Restores {@link #state()} output. */
    public void loadState(OptimizerState state) {
        if (!state.type().equals(TYPE)) throw new IllegalArgumentException("EMA: cannot load the state of a " + state.type());
        Map<String, float[]> loaded = new LinkedHashMap<>();
        params.forEach((name, p) -> loaded.put(name, state.values(name, p.shape())));
        shadow.putAll(loaded);
        updates = Long.parseLong(state.scalar("updates"));
    }
}
