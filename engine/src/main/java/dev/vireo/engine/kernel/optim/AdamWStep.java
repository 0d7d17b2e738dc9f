package dev.vireo.engine.kernel.optim;

import dev.vireo.engine.parallel.ComputePool;

import java.util.List;

/**
 * Fused AdamW (Loshchilov and Hutter 2019) over flat parameter arrays, computed as
 * torch.optim.AdamW does it: decay first (p *= 1 - lr·wd), then the bias-corrected Adam step.
 * One pass reads each of p, g, m, v once; work is cut into fixed chunks of {@link #CHUNK}
 * elements, so the update is the same for any thread count. Scalar coefficients are computed in
 * double (as torch computes them in Python) and applied in float32.
 */
public final class AdamWStep {
    /** Elements per parallel chunk. */
    public static final int CHUNK = 1 << 14;

    private AdamWStep() {}

    /**
     * One parameter (or a range of one) with its group's lr and weight decay: elements
     * {@code param[paramOffset, paramOffset + n)} are updated from {@code grad}, {@code m} and {@code v}
     * at {@code [stateOffset, stateOffset + n)}. The offsets differ when the parameter is a view into
     * a larger storage while its gradient and moments are arrays of their own.
     */
    public record Slot(float[] param, int paramOffset, float[] grad, float[] m, float[] v, int stateOffset, int n,
                       double lr, double weightDecay) {
        public Slot {
            if (n < 0 || paramOffset < 0 || stateOffset < 0 || paramOffset + n > param.length
                    || stateOffset + n > Math.min(grad.length, Math.min(m.length, v.length))) {
                throw new IllegalArgumentException("AdamW: param range [" + paramOffset + ", " + (paramOffset + n) + ") of "
                        + param.length + " or state range [" + stateOffset + ", " + (stateOffset + n) + ") of grad "
                        + grad.length + ", m " + m.length + ", v " + v.length + " is out of bounds");
            }
        }
    }

    /** One AdamW step (step counts from 1) over many parameters that share a step count, each with its own lr and weight decay. */
    public static void stepAll(OptimizerKernels fk, List<Slot> slots, double beta1, double beta2, double eps, long step) {
        if (step < 1) throw new IllegalArgumentException("AdamW: step must be >= 1, got " + step);
        double bc1 = 1.0 - Math.pow(beta1, step);
        float bc2Sqrt = (float) Math.sqrt(1.0 - Math.pow(beta2, step));
        float b1 = (float) beta1, c1 = (float) (1.0 - beta1), b2 = (float) beta2, c2 = (float) (1.0 - beta2), e = (float) eps;
        int[] first = new int[slots.size() + 1]; // first chunk index of each slot
        for (int s = 0; s < slots.size(); s++) first[s + 1] = first[s] + (slots.get(s).n() + CHUNK - 1) / CHUNK;
        ComputePool.global().forEachChunk(first[slots.size()], c -> {
            int s = slotOf(first, c);
            Slot sl = slots.get(s);
            int start = (c - first[s]) * CHUNK, len = Math.min(CHUNK, sl.n() - start);
            float decay = (float) (1.0 - sl.lr() * sl.weightDecay());
            float stepSize = (float) (sl.lr() / bc1);
            fk.adamw(sl.param(), sl.paramOffset() + start, sl.grad(), sl.m(), sl.v(), sl.stateOffset() + start, len,
                    decay, b1, c1, b2, c2, e, stepSize, bc2Sqrt);
        });
    }

    private static int slotOf(int[] first, int chunk) {
        int lo = 0, hi = first.length - 2;
        while (lo < hi) { // last slot whose first chunk is <= chunk
            int mid = (lo + hi + 1) >>> 1;
            if (first[mid] <= chunk) lo = mid;
            else hi = mid - 1;
        }
        return lo;
    }
}
