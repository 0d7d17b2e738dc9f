package dev.vireo.engine.autograd;

import dev.vireo.engine.parallel.ComputePool;
import dev.vireo.engine.tensor.Shapes;
import dev.vireo.engine.tensor.Tensor;

import java.util.Arrays;

/**
 * How {@link Reductions} walk a tensor: its data seen as dense (outer, reduce, inner), where the
 * reduced axes form the middle block. When the reduced axes are not adjacent, the input is first
 * permuted (a copy) so they come last, and gradients are permuted back by {@link #toInputOrder}.
 */
final class ReducePlan {
    /** Inner columns per task: a fixed block, so the cut never depends on the thread count. */
    private static final int INNER_BLOCK = 64;

    /** Body over one outer index and the inner columns {@code [j0, j1)}. */
    @FunctionalInterface
    interface BlockBody {
        void run(int o, int j0, int j1);
    }

    final int outer;
    final int reduce;
    final int inner;
    /** Dense data in (outer, reduce, inner) order, read from {@link #xo}. */
    final float[] xa;
    final int xo;
    /** The result's shape (reduced axes dropped, or kept with size 1). */
    final int[] outShape;
    /** Shape of the permuted copy and the permutation back to the input, or null when none was needed. */
    private final int[] permutedShape;
    private final int[] inverse;

    private ReducePlan(int outer, int reduce, int inner, Tensor dense, int[] outShape, int[] permutedShape, int[] inverse) {
        this.outer = outer;
        this.reduce = reduce;
        this.inner = inner;
        this.xa = dense.array();
        this.xo = dense.offset();
        this.outShape = outShape;
        this.permutedShape = permutedShape;
        this.inverse = inverse;
    }

    /** The plan for reducing {@code x} over {@code axes} (empty: all axes). */
    static ReducePlan of(String op, Tensor x, int[] axes, boolean keepdim) {
        int[] shape = x.shape();
        int rank = shape.length;
        boolean[] reduced = new boolean[rank];
        if (axes.length == 0) Arrays.fill(reduced, true);
        for (int axis : axes) {
            int a = Shapes.axis(op, axis, rank);
            if (reduced[a]) throw new IllegalArgumentException(op + ": axis " + axis + " repeated in " + Arrays.toString(axes));
            reduced[a] = true;
        }
        int first = -1, last = -1, count = 0;
        for (int d = 0; d < rank; d++) {
            if (!reduced[d]) continue;
            if (first < 0) first = d;
            last = d;
            count++;
        }
        int[] outShape = outputShape(shape, reduced, keepdim);
        Tensor xd = x.detach();
        if (count == 0) return new ReducePlan(x.numel(), 1, 1, xd.dense(), outShape, null, null);
        if (last - first + 1 == count) {
            int outer = prod(shape, 0, first), red = prod(shape, first, last + 1), inner = prod(shape, last + 1, rank);
            return new ReducePlan(outer, red, inner, xd.dense(), outShape, null, null);
        }
        // scattered axes: move the reduced ones to the end, keeping both groups in order
        int[] perm = new int[rank], inverse = new int[rank], permuted = new int[rank];
        int pos = 0;
        for (int d = 0; d < rank; d++) if (!reduced[d]) perm[pos++] = d;
        for (int d = 0; d < rank; d++) if (reduced[d]) perm[pos++] = d;
        int outer = 1, red = 1;
        for (int i = 0; i < rank; i++) {
            inverse[perm[i]] = i;
            permuted[i] = shape[perm[i]];
            if (reduced[perm[i]]) red *= shape[perm[i]];
            else outer *= shape[perm[i]];
        }
        Tensor moved = Tensor.of(xd.permute(perm).toArray(), permuted); // (kept axes..., reduced axes...)
        return new ReducePlan(outer, red, 1, moved, outShape, permuted, inverse);
    }

    private static int[] outputShape(int[] shape, boolean[] reduced, boolean keepdim) {
        int kept = 0;
        for (boolean r : reduced) if (!r || keepdim) kept++;
        int[] out = new int[kept];
        int i = 0;
        for (int d = 0; d < shape.length; d++) {
            if (!reduced[d]) out[i++] = shape[d];
            else if (keepdim) out[i++] = 1;
        }
        return out;
    }

    private static int prod(int[] shape, int from, int to) {
        int p = 1;
        for (int d = from; d < to; d++) p *= shape[d];
        return p;
    }

    /** Runs {@code body} over every (outer, inner block) pair, in parallel, in fixed chunks. */
    void forEachBlock(BlockBody body) {
        int blocks = (inner + INNER_BLOCK - 1) / INNER_BLOCK;
        int tasks = outer * blocks;
        int work = Math.max(1, Math.min(inner, INNER_BLOCK) * Math.max(reduce, 1));
        int perChunk = Math.max(1, Elementwise.CHUNK_ELEMENTS / work);
        ComputePool.global().parallelFor(tasks, perChunk, (t0, t1) -> {
            for (int t = t0; t < t1; t++) {
                int o = t / blocks, b = t % blocks;
                body.run(o, b * INNER_BLOCK, Math.min(inner, (b + 1) * INNER_BLOCK));
            }
        });
    }

    /** One input element's gradient, given its index in {@link #xa} and the index of its output. */
    interface ElementGrad {
        float at(int xIndex, int outIndex);
    }

    /** The input's gradient in its own order: every element once, from {@code grad}, in the blocks of {@link #forEachBlock}. */
    float[] inputGrad(ElementGrad grad) {
        float[] gx = new float[outer * reduce * inner]; // (outer, reduce, inner)
        forEachBlock((o, j0, j1) -> {
            int base = o * reduce * inner;
            for (int r = 0; r < reduce; r++) {
                int row = base + r * inner;
                for (int j = j0; j < j1; j++) gx[row + j] = grad.at(xo + row + j, o * inner + j);
            }
        });
        return toInputOrder(gx);
    }

    /** A dense gradient in (outer, reduce, inner) order, rearranged into the input's row-major order. */
    float[] toInputOrder(float[] g) {
        if (permutedShape == null) return g;
        return Tensor.of(g, permutedShape).permute(inverse).toArray();
    }
}
