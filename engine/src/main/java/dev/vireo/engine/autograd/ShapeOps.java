package dev.vireo.engine.autograd;

import dev.vireo.engine.tensor.Node;
import dev.vireo.engine.tensor.Shapes;
import dev.vireo.engine.tensor.Storage;
import dev.vireo.engine.tensor.Tensor;

import java.util.Arrays;

/**
 * Ops that move or select elements without arithmetic: views (reshape, permute, narrow, expand)
 * that share storage, and copies (contiguous copy, concat, index select) with their backward.
 */
public final class ShapeOps {
    private ShapeOps() {}

    /** A contiguous heap copy, recorded as identity for autograd. */
    public static Tensor copy(Tensor x) {
        Tensor out = Tensor.of(x.toArray(), x.shape());
        return Node.record(out, "copy", (g, grads) -> grads.accumulateOwned(x, g), x);
    }

    /** Same elements in a new shape (one axis may be -1); a view when x is contiguous. */
    public static Tensor reshape(Tensor x, int... newShape) {
        int[] shape = Shapes.inferReshape(x.shape(), newShape);
        Tensor src = x.isContiguous() ? x : copy(x);
        Tensor out = new Tensor(src.storage(), shape, Shapes.contiguousStrides(shape), src.offset());
        // row-major order is unchanged, so the gradient is the same array
        return Node.record(out, "reshape", (g, grads) -> grads.accumulateOwned(src, g), src);
    }

    /** Axes reordered: output axis i is input axis {@code axes[i]}. A view. */
    public static Tensor permute(Tensor x, int... axes) {
        int rank = x.rank();
        if (axes.length != rank) {
            throw new IllegalArgumentException("permute: " + axes.length + " axes " + Arrays.toString(axes)
                    + " for a tensor of shape " + Shapes.str(x.shape()));
        }
        int[] shape = x.shape(), strides = x.strides();
        int[] newShape = new int[rank], newStrides = new int[rank], inverse = new int[rank];
        boolean[] used = new boolean[rank];
        for (int i = 0; i < rank; i++) {
            int a = Shapes.axis("permute", axes[i], rank);
            if (used[a]) throw new IllegalArgumentException("permute: axis " + a + " repeated in " + Arrays.toString(axes));
            used[a] = true;
            newShape[i] = shape[a];
            newStrides[i] = strides[a];
            inverse[a] = i;
        }
        Tensor out = new Tensor(x.storage(), newShape, newStrides, x.offset());
        return Node.record(out, "permute",
                (g, grads) -> grads.accumulateOwned(x, Tensor.of(g, newShape).permute(inverse).toArray()), x);
    }

    /** Swaps two axes. A view. */
    public static Tensor transpose(Tensor x, int axis0, int axis1) {
        int rank = x.rank();
        int a = Shapes.axis("transpose", axis0, rank), b = Shapes.axis("transpose", axis1, rank);
        int[] axes = new int[rank];
        for (int i = 0; i < rank; i++) axes[i] = i;
        axes[a] = b;
        axes[b] = a;
        return permute(x, axes);
    }

    /** Elements {@code [start, start + length)} of one axis. A view. */
    public static Tensor narrow(Tensor x, int axis, int start, int length) {
        int[] shape = x.shape();
        int a = Shapes.axis("narrow", axis, shape.length);
        if (start < 0 || length < 0 || start + length > shape[a]) {
            throw new IllegalArgumentException("narrow: [" + start + ", " + (start + length) + ") is outside axis " + a
                    + " of size " + shape[a] + " in shape " + Shapes.str(shape));
        }
        int[] strides = x.strides();
        int[] newShape = shape.clone();
        newShape[a] = length;
        Tensor out = new Tensor(x.storage(), newShape, strides, x.offset() + start * strides[a]);
        return Node.record(out, "narrow", (g, grads) -> {
            float[] gx = new float[Shapes.numel(shape)];
            Tensor view = new Tensor(Storage.of(gx), newShape,
                    Shapes.contiguousStrides(shape), start * Shapes.contiguousStrides(shape)[a]);
            scatterAdd(view, g);
            grads.accumulateOwned(x, gx);
        }, x);
    }

    /** Broadcasts size-1 (or missing leading) axes to {@code newShape}. A view with stride 0. */
    public static Tensor expand(Tensor x, int... newShape) {
        int[] shape = x.shape();
        int[] joint = Shapes.broadcast("expand", shape, newShape);
        if (!Shapes.equal(joint, newShape)) {
            throw new IllegalArgumentException("expand: cannot expand " + Shapes.str(shape) + " to " + Shapes.str(newShape));
        }
        int[] strides = Shapes.broadcastStrides(shape, x.strides(), newShape);
        Tensor out = new Tensor(x.storage(), newShape.clone(), strides, x.offset());
        return Node.record(out, "expand", (g, grads) -> grads.accumulateOwned(x, Broadcasting.reduceTo(g, newShape, shape)), x);
    }

    /** Joins tensors along an axis; all other axes must agree. */
    public static Tensor concat(int axis, Tensor... parts) {
        if (parts.length == 0) throw new IllegalArgumentException("concat: no tensors");
        int[] first = parts[0].shape();
        int a = Shapes.axis("concat", axis, first.length);
        int total = 0;
        for (Tensor p : parts) {
            int[] s = p.shape();
            boolean ok = s.length == first.length;
            for (int d = 0; ok && d < s.length; d++) ok = d == a || s[d] == first[d];
            if (!ok) {
                throw new IllegalArgumentException("concat: shape " + Shapes.str(s) + " does not match " + Shapes.str(first)
                        + " outside axis " + a);
            }
            total += s[a];
        }
        int[] shape = first.clone();
        shape[a] = total;
        float[] out = new float[Shapes.numel(shape)];
        int outer = 1;
        for (int d = 0; d < a; d++) outer *= shape[d];
        int inner = 1;
        for (int d = a + 1; d < shape.length; d++) inner *= shape[d];
        int[] starts = new int[parts.length];
        int pos = 0;
        for (int i = 0; i < parts.length; i++) {
            starts[i] = pos;
            int len = parts[i].size(a);
            float[] src = parts[i].toArray();
            for (int o = 0; o < outer; o++) {
                System.arraycopy(src, o * len * inner, out, (o * total + pos) * inner, len * inner);
            }
            pos += len;
        }
        final int fInner = inner, fOuter = outer, fTotal = total;
        return Node.record(Tensor.of(out, shape), "concat", (g, grads) -> {
            for (int i = 0; i < parts.length; i++) {
                if (!parts[i].requiresGrad()) continue;
                int len = parts[i].size(a);
                float[] gp = new float[parts[i].numel()];
                for (int o = 0; o < fOuter; o++) {
                    System.arraycopy(g, (o * fTotal + starts[i]) * fInner, gp, o * len * fInner, len * fInner);
                }
                grads.accumulateOwned(parts[i], gp);
            }
        }, parts);
    }

    /** Splits one axis into consecutive pieces of the given sizes (views). */
    public static Tensor[] split(Tensor x, int axis, int... sizes) {
        int a = Shapes.axis("split", axis, x.rank());
        int sum = 0;
        for (int s : sizes) sum += s;
        if (sum != x.size(a)) {
            throw new IllegalArgumentException("split: sizes " + Arrays.toString(sizes) + " add up to " + sum
                    + ", not axis " + a + " of size " + x.size(a));
        }
        Tensor[] out = new Tensor[sizes.length];
        int start = 0;
        for (int i = 0; i < sizes.length; i++) {
            out[i] = narrow(x, a, start, sizes[i]);
            start += sizes[i];
        }
        return out;
    }

    /** Slices {@code indices} of one axis, in order (repeats allowed); gradient scatter-added back. */
    public static Tensor indexSelect(Tensor x, int axis, int[] indices) {
        int[] shape = x.shape();
        int a = Shapes.axis("indexSelect", axis, shape.length);
        for (int idx : indices) {
            if (idx < 0 || idx >= shape[a]) {
                throw new IndexOutOfBoundsException("indexSelect: index " + idx + " out of range for axis " + a
                        + " of size " + shape[a] + " in shape " + Shapes.str(shape));
            }
        }
        // a contiguous tensor gives its rows where they are: a memory-mapped embedding table (CLIP's
        // 49,408 × 512) copied whole to the heap first cost 0.4 s of every text of a loaded model
        Tensor src = x.isContiguous() ? x : x.dense();
        Storage xs = src.storage();
        int xo = src.offset();
        int outer = 1;
        for (int d = 0; d < a; d++) outer *= shape[d];
        int inner = 1;
        for (int d = a + 1; d < shape.length; d++) inner *= shape[d];
        int[] outShape = shape.clone();
        outShape[a] = indices.length;
        float[] out = new float[Shapes.numel(outShape)];
        int n = shape[a], m = indices.length;
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < m; i++) {
                xs.copyTo(xo + (long) (o * n + indices[i]) * inner, out, (o * m + i) * inner, inner);
            }
        }
        final int fOuter = outer, fInner = inner;
        return Node.record(Tensor.of(out, outShape), "indexSelect", (g, grads) -> {
            float[] gx = grads.buffer(x);
            if (gx == null) return;
            // scatter-add in index order: deterministic even with repeated indices
            for (int o = 0; o < fOuter; o++) {
                for (int i = 0; i < m; i++) {
                    int dst = (o * n + indices[i]) * fInner, srcPos = (o * m + i) * fInner;
                    for (int j = 0; j < fInner; j++) gx[dst + j] += g[srcPos + j];
                }
            }
        }, x);
    }

    /** Embedding lookup: rows of {@code weight} (V, C) for token ids of any shape → (ids shape..., C). */
    public static Tensor embedding(Tensor weight, int[] ids, int... idsShape) {
        if (weight.rank() != 2) {
            throw new IllegalArgumentException("embedding: weight must be (V, C), got " + Shapes.str(weight.shape()));
        }
        if (Shapes.numel(idsShape) != ids.length) {
            throw new IllegalArgumentException("embedding: " + ids.length + " ids do not fill shape " + Shapes.str(idsShape));
        }
        int[] outShape = Arrays.copyOf(idsShape, idsShape.length + 1);
        outShape[idsShape.length] = weight.size(1);
        return indexSelect(weight, 0, ids).reshape(outShape); // (ids..., C)
    }

    /** Adds dense row-major {@code values} into the (possibly strided) view {@code dst}. */
    static void scatterAdd(Tensor dst, float[] values) {
        int[] shape = dst.shape(), strides = dst.strides();
        float[] d = dst.array();
        int[] idx = new int[shape.length];
        for (int i = 0; i < values.length; i++) {
            int pos = dst.offset();
            for (int k = 0; k < shape.length; k++) pos += idx[k] * strides[k];
            d[pos] += values[i];
            for (int k = shape.length - 1; k >= 0; k--) {
                if (++idx[k] < shape[k]) break;
                idx[k] = 0;
            }
        }
    }
}
