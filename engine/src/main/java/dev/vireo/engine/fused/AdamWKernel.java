package dev.vireo.engine.fused;

import dev.vireo.engine.parallel.ComputePool;

import java.util.List;

/**
 * Fused AdamW (Loshchilov and Hutter 2019) over flat parameter arrays, computed as
 * torch.optim.AdamW does it: decay first (p *= 1 - lr·wd), then the bias-corrected Adam step.
 * One pass reads each of p, g, m, v once; work is cut into fixed chunks of {@link #CHUNK}
 * elements, so the update is the same for any thread count.
 */
public final class AdamWKernel {
    /** Elements per parallel chunk. */
    public static final int CHUNK = 1 << 14;

    private AdamWKernel() {}

    /** One parameter array (or a range of one) with its moments and its group's lr and weight decay. */
    public record Slot(float[] param, float[] grad, float[] m, float[] v, int offset, int n, float lr, float weightDecay) {
        public Slot {
            int len = param.length;
            if (offset < 0 || n < 0 || offset + n > len || grad.length < offset + n || m.length < offset + n || v.length < offset + n) {
                throw new IllegalArgumentException("AdamW: range [" + offset + ", " + (offset + n) + ") does not fit param "
                        + len + ", grad " + grad.length + ", m " + m.length + ", v " + v.length);
            }
        }
    }

    /** One AdamW step (step counts from 1) over param[offset, offset + n). */
    public static void step(float[] param, float[] grad, float[] m, float[] v, int offset, int n, float lr,
                            float beta1, float beta2, float eps, float weightDecay, int step) {
        stepAll(List.of(new Slot(param, grad, m, v, offset, n, lr, weightDecay)), beta1, beta2, eps, step);
    }

    /** One AdamW step over many parameter arrays, each with its own lr and weight decay. */
    public static void stepAll(List<Slot> slots, float beta1, float beta2, float eps, int step) {
        stepAll(FusedProvider.kernels(), slots, beta1, beta2, eps, step);
    }

    /** As {@link #stepAll(List, float, float, float, int)} on given kernels. */
    public static void stepAll(FusedKernels fk, List<Slot> slots, float beta1, float beta2, float eps, int step) {
        if (step < 1) throw new IllegalArgumentException("AdamW: step must be >= 1, got " + step);
        // bias corrections in double, as torch computes them in Python
        double bc1 = 1.0 - Math.pow(beta1, step);
        float bc2Sqrt = (float) Math.sqrt(1.0 - Math.pow(beta2, step));
        int[] first = new int[slots.size() + 1]; // first chunk index of each slot
        for (int s = 0; s < slots.size(); s++) first[s + 1] = first[s] + (slots.get(s).n() + CHUNK - 1) / CHUNK;
        ComputePool.global().forEachChunk(first[slots.size()], c -> {
            int s = slotOf(first, c);
            Slot sl = slots.get(s);
            int start = (c - first[s]) * CHUNK, len = Math.min(CHUNK, sl.n() - start);
            float decay = (float) (1.0 - (double) sl.lr() * sl.weightDecay());
            float stepSize = (float) (sl.lr() / bc1);
            fk.adamw(sl.param(), sl.grad(), sl.m(), sl.v(), sl.offset() + start, len, decay, beta1, beta2, eps, stepSize, bc2Sqrt);
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
