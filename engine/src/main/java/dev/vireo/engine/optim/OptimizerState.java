package dev.vireo.engine.optim;

import dev.vireo.engine.tensor.Tensor;

import java.util.Arrays;
import java.util.Map;

/**
 * What an optimiser (or an EMA) must save to resume exactly: its kind, scalars as strings
 * (step counts, current learning rates) and per-parameter buffers keyed {@code <param>.<buffer>}.
 * Tensors are copies, independent of the live state.
 */
public record OptimizerState(String type, Map<String, String> scalars, Map<String, Tensor> tensors) {
    public OptimizerState {
        scalars = Map.copyOf(scalars);
        tensors = Map.copyOf(tensors);
    }

    /** The scalar {@code key}; fails naming the key when absent. */
    public String scalar(String key) {
        String v = scalars.get(key);
        if (v == null) throw new IllegalArgumentException(type + " state: missing scalar '" + key + "'");
        return v;
    }

    /** The values of buffer {@code key} (a copy), which must have the parameter's shape; fails with both shapes otherwise. */
    public float[] values(String key, int[] shape) {
        Tensor t = tensors.get(key);
        if (t == null) throw new IllegalArgumentException(type + " state: missing buffer '" + key + "'");
        if (!Arrays.equals(t.shape(), shape)) {
            throw new IllegalArgumentException(type + " state: buffer '" + key + "' has shape " + Arrays.toString(t.shape())
                    + " but the parameter has shape " + Arrays.toString(shape));
        }
        return t.toArray();
    }
}
