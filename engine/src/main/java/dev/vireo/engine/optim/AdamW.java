package dev.vireo.engine.optim;

import dev.vireo.engine.kernel.optim.AdamWStep;
import dev.vireo.engine.tensor.ComputeProvider;
import dev.vireo.engine.tensor.Tensor;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

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
 * Scalar coefficients are computed in double and applied in float32, like torch's CPU kernels. The
 * arithmetic is {@link AdamWStep}'s (scalar reference or its bit-identical vector form); this class
 * keeps the per-parameter moments and step counts and their checkpoint form.
 */
public final class AdamW extends Optimizer {
    public static final String TYPE = "adamw";

    private final double beta1;
    private final double beta2;
    private final double eps;
    private final Map<String, Moments> moments = new HashMap<>();

    /** Per-parameter state: moments and step count (per parameter, as torch keeps it). */
    private static final class Moments {
        final float[] m;
        final float[] v;
        long step;

        Moments(float[] m, float[] v) {
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

    /**
     * One fused {@link AdamWStep} pass over every parameter with a gradient, in all groups. Torch
     * counts steps per parameter, so parameters are batched by their step count: one batch in a run
     * where every parameter gets a gradient each step, more only after some were skipped.
     */
    @Override
    public void step() {
        Map<Long, List<AdamWStep.Slot>> byStep = new TreeMap<>();
        for (ParamGroup g : groups) {
            for (Map.Entry<String, Tensor> e : g.params().entrySet()) {
                Tensor p = e.getValue();
                float[] grad = gradOf(p);
                if (grad == null) continue;
                Moments s = moments.computeIfAbsent(e.getKey(), k -> new Moments(new float[p.numel()], new float[p.numel()]));
                s.step++;
                // parameter data starts at its storage offset; gradient and moments are its own arrays
                byStep.computeIfAbsent(s.step, k -> new ArrayList<>())
                        .add(new AdamWStep.Slot(p.array(), p.offset(), grad, s.m, s.v, 0, p.numel(), g.lr(), g.weightDecay()));
            }
        }
        byStep.forEach((step, batch) -> AdamWStep.stepAll(ComputeProvider.get().kernels().optimizer(), batch, beta1, beta2, eps, step));
    }

    @Override
    public OptimizerState state() {
        Map<String, String> scalars = groupScalars();
        Map<String, Tensor> tensors = new HashMap<>();
        forEachParam((name, p) -> {
            Moments s = moments.get(name);
            if (s == null) return;
            scalars.put(name + ".step", Long.toString(s.step));
            tensors.put(name + ".exp_avg", Tensor.of(s.m.clone(), p.shape()));
            tensors.put(name + ".exp_avg_sq", Tensor.of(s.v.clone(), p.shape()));
        });
        scalars.put("beta1", Double.toString(beta1));
        scalars.put("beta2", Double.toString(beta2));
        scalars.put("eps", Double.toString(eps));
        return new OptimizerState(TYPE, scalars, tensors);
    }

    @Override
    public void loadState(OptimizerState state) {
        loadGroupScalars(state, TYPE);
        Map<String, Moments> loaded = new HashMap<>();
        forEachParam((name, p) -> {
            String step = state.scalars().get(name + ".step");
            if (step == null) return; // no step taken for this parameter yet
            Moments s = new Moments(state.values(name + ".exp_avg", p.shape()), state.values(name + ".exp_avg_sq", p.shape()));
            s.step = Long.parseLong(step);
            loaded.put(name, s);
        });
        moments.clear();
        moments.putAll(loaded);
    }
}
