package dev.vireo.engine.autograd;

import dev.vireo.engine.tensor.Rng;
import dev.vireo.engine.tensor.Tensor;

import java.util.function.Function;

/**
 * Finite-difference gradient check (like {@code torch.autograd.gradcheck}). The op's output is
 * reduced to L = Σ wᵢ·yᵢ with fixed random weights, summed in double precision; each input element
 * is nudged by ±eps and the central difference (L(x+eps) - L(x-eps)) / 2eps, computed in double,
 * is compared with the analytic gradient from {@link Tensor#backward(float[])}.
 *
 * <p>The ops compute in float32, so eps must stay well above float rounding (1e-2 to 1e-3 for
 * values of order 1) and the tolerance is that of a float32 forward pass, not of float64.
 */
public final class GradCheck {
    private GradCheck() {}

    /** The largest mismatch found, for reporting. */
    public record Result(boolean ok, double maxAbsError, double maxRelError, String worst) {}

    /**
     * Checks every element of every input that requires a gradient. Inputs must be contiguous heap
     * tensors; they are perturbed in place and restored.
     */
    public static Result check(Function<Tensor[], Tensor> op, Tensor[] inputs, double eps, double atol, double rtol) {
        for (Tensor t : inputs) t.zeroGrad();
        Tensor out = op.apply(inputs);
        Rng rng = new Rng(1234);
        float[] w = new float[out.numel()];
        for (int i = 0; i < w.length; i++) w[i] = (float) (rng.nextDouble() * 2 - 1);
        out.backward(w);

        double maxAbs = 0, maxRel = 0;
        String worst = "none";
        boolean ok = true;
        for (int ti = 0; ti < inputs.length; ti++) {
            Tensor t = inputs[ti];
            if (!t.requiresGrad()) continue;
            if (!t.isContiguous() || !t.storage().isHeap()) throw new IllegalArgumentException("gradcheck: inputs must be dense");
            float[] data = t.array();
            int off = t.offset();
            float[] analytic = t.gradBuffer().clone();
            for (int i = 0; i < t.numel(); i++) {
                float saved = data[off + i];
                data[off + i] = (float) (saved + eps);
                double plus = weighted(op.apply(inputs), w);
                data[off + i] = (float) (saved - eps);
                double minus = weighted(op.apply(inputs), w);
                data[off + i] = saved;
                double actualStep = ((double) (float) (saved + eps) - (double) (float) (saved - eps));
                double numeric = (plus - minus) / actualStep;
                double err = Math.abs(numeric - analytic[i]);
                double rel = err / Math.max(Math.abs(numeric), 1e-12);
                if (err > maxAbs) {
                    maxAbs = err;
                    worst = "input " + ti + " element " + i + ": analytic " + analytic[i] + ", numeric " + numeric;
                }
                maxRel = Math.max(maxRel, Math.min(rel, err));
                if (!(err <= atol + rtol * Math.abs(numeric))) {
                    if (ok) worst = "input " + ti + " element " + i + ": analytic " + analytic[i] + ", numeric " + numeric;
                    ok = false;
                }
            }
        }
        return new Result(ok, maxAbs, maxRel, worst);
    }

    private static double weighted(Tensor y, float[] w) {
        float[] v = y.toArray();
        double s = 0;
        for (int i = 0; i < v.length; i++) s += (double) w[i] * v[i];
        return s;
    }
}
