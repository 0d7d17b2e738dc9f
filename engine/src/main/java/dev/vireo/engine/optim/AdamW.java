package dev.vireo.engine.optim;

import dev.vireo.engine.parallel.ComputePool;
import dev.vireo.engine.tensor.Tensor;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * AdamW (Loshchilov and Hutter 2019, "Decoupled Weight Decay Regularization"), step for step as
 * {@code torch.optim.AdamW} computes it (single-tensor path, amsgrad off):
 * <pre>
 *   t += 1
 *   p  = p · (1 − lr·wd)
 *   m  = β1·m + (1 − β1)·g
 *   v  = β2·v + (1 − β2)·g²
 *   p  = p − (lr / (1 − β1^t)) · m / (√v / √(1 − β2^t) + ε)
 * </pre>
 * Scalar coefficients are computed in double and applied in float32, like torch's CPU kernels.
 */
public final class AdamW extends Optimizer {
    public static final String TYPE = "adamw";
    private static final int CHUNK = 1 << 15;

    private final double beta1;
    private final double beta2;
    private final double eps;
    private final Map<String, Slot> slots = new HashMap<>();

    /** Per-parameter state: moments and step count (per parameter, as torch keeps it). */
    private static final class Slot {
        final float[] m;
        final float[] v;
        long step;

        Slot(float[] m, float[] v) {
            this.m = m;
            this.v = v;
        }
    }

    /** β = (0.9, 0.999), ε = 1e-8: torch's defaults. */
    public AdamW(List<ParamGroup> groups) {
        this(groups, 0.9, 0.999, 1e-8);
    }

    public AdamW(List<ParamGroup> groups, double beta1, double beta2, double eps) {
        super(groups);
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1) || !(eps >= 0)) {
            throw new IllegalArgumentException("AdamW: betas (" + beta1 + ", " + beta2 + ") must be in [0, 1) and eps " + eps + " >= 0");
        }
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
    }

    @Override
    public void step() {
        for (ParamGroup g : groups) {
            double lr = g.lr();
            for (Map.Entry<String, Tensor> e : g.params().entrySet()) {
                Tensor p = e.getValue();
                float[] grad = gradOf(p);
                if (grad == null) continue;
                Slot s = slots.computeIfAbsent(e.getKey(), k -> new Slot(new float[p.numel()], new float[p.numel()]));
                s.step++;
                double bias1 = 1 - Math.pow(beta1, s.step);
                float decay = (float) (1 - lr * g.weightDecay());
                float bias2Sqrt = (float) Math.sqrt(1 - Math.pow(beta2, s.step));
                float negStepSize = (float) (-lr / bias1);
                float[] data = p.array();
                int off = p.offset();
                // elementwise, so the split into chunks cannot change a bit of the result
                ComputePool.global().parallelFor(p.numel(), CHUNK, (from, to) -> update(data, off, grad, s.m, s.v, from, to,
                        decay, (float) beta1, (float) (1 - beta1), (float) beta2, (float) (1 - beta2), bias2Sqrt, (float) eps, negStepSize));
            }
        }
    }

    /**
     * The whole update of elements {@code [from, to)} (parameter data starts at {@code pOff}; gradient
     * and moments at 0). Kept in one method over float ranges so a fused vector kernel can replace it.
     */
    private static void update(float[] param, int pOff, float[] grad, float[] m, float[] v, int from, int to,
                               float decay, float beta1, float oneMinusBeta1, float beta2, float oneMinusBeta2,
                               float bias2Sqrt, float eps, float negStepSize) {
        for (int i = from; i < to; i++) {
            float gi = grad[i];
            float p = param[pOff + i] * decay;
            float mi = m[i] * beta1 + oneMinusBeta1 * gi;
            float vi = v[i] * beta2 + oneMinusBeta2 * gi * gi;
            m[i] = mi;
            v[i] = vi;
            float denom = (float) Math.sqrt(vi) / bias2Sqrt + eps;
            param[pOff + i] = p + negStepSize * mi / denom;
        }
    }

    @Override
    public OptimizerState state() {
        Map<String, String> scalars = groupScalars();
        Map<String, Tensor> tensors = new HashMap<>();
        for (ParamGroup g : groups) {
            for (Map.Entry<String, Tensor> e : g.params().entrySet()) {
                Slot s = slots.get(e.getKey());
                if (s == null) continue;
                int[] shape = e.getValue().shape();
                scalars.put(e.getKey() + ".step", Long.toString(s.step));
                tensors.put(e.getKey() + ".exp_avg", Tensor.of(s.m.clone(), shape));
                tensors.put(e.getKey() + ".exp_avg_sq", Tensor.of(s.v.clone(), shape));
            }
        }
        scalars.put("beta1", Double.toString(beta1));
        scalars.put("beta2", Double.toString(beta2));
        scalars.put("eps", Double.toString(eps));
        return new OptimizerState(TYPE, scalars, tensors);
    }

    @Override
    public void loadState(OptimizerState state) {
        loadGroupScalars(state, TYPE);
        Map<String, Slot> loaded = new HashMap<>();
        for (ParamGroup g : groups) {
            for (Map.Entry<String, Tensor> e : g.params().entrySet()) {
                String step = state.scalars().get(e.getKey() + ".step");
                if (step == null) continue; // no step taken for this parameter yet
                int[] shape = e.getValue().shape();
                Slot s = new Slot(state.values(e.getKey() + ".exp_avg", shape), state.values(e.getKey() + ".exp_avg_sq", shape));
                s.step = Long.parseLong(step);
                loaded.put(e.getKey(), s);
            }
        }
        slots.clear();
        slots.putAll(loaded);
    }
}
