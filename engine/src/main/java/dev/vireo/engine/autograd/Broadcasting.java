package dev.vireo.engine.autograd;

import dev.vireo.engine.kernel.row.RowKernels;
import dev.vireo.engine.tensor.ComputeProvider;
import dev.vireo.engine.tensor.Shapes;

/** Gradient plumbing for broadcast ops: summing a gradient back down to an input's shape. */
public final class Broadcasting {
    private Broadcasting() {}

    /**
     * Sums {@code grad} (dense, shape {@code from}) over the axes that broadcasting added or
     * stretched, giving a dense gradient of shape {@code to}. Returns {@code grad} itself when the
     * shapes are equal. Sums run in row-major order: deterministic.
     */
    public static float[] reduceTo(float[] grad, int[] from, int[] to) {
        if (Shapes.equal(from, to)) return grad;
        float[] out = new float[Shapes.numel(to)];
        if (grad.length == 0 || out.length == 0) return out;
        int[] targetStrides = Shapes.broadcastStrides(to, Shapes.contiguousStrides(to), from);
        int rank = from.length;
        int last = rank == 0 ? 1 : from[rank - 1];
        int lastStride = rank == 0 ? 0 : targetStrides[rank - 1];
        int rows = grad.length / last;
        int[] idx = new int[Math.max(rank - 1, 0)];
        RowKernels k = ComputeProvider.get().kernels().rows();
        for (int r = 0; r < rows; r++) {
            int base = 0;
            for (int d = 0; d < idx.length; d++) base += idx[d] * targetStrides[d];
            int g = r * last;
            if (lastStride == 1) {
                k.add(out, base, out, base, grad, g, last);
            } else {
                float s = 0;
                for (int j = 0; j < last; j++) s += grad[g + j];
                out[base] += s;
            }
            for (int d = idx.length - 1; d >= 0; d--) {
                if (++idx[d] < from[d]) break;
                idx[d] = 0;
            }
        }
        return out;
    }
}
