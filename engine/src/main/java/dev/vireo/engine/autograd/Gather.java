package dev.vireo.engine.autograd;

import dev.vireo.engine.tensor.Node;
import dev.vireo.engine.tensor.Shapes;
import dev.vireo.engine.tensor.Tensor;

import java.util.Arrays;

/**
 * torch.gather: out[i₀…iₖ] = x[i₀…index[i₀…iₖ]…iₖ], the index replacing the coordinate of one
 * axis. The index has the rank of x and is no larger than x on the other axes. The gradient is
 * scatter-added back in row-major order, so repeated indices accumulate deterministically.
 */
public final class Gather {
    private Gather() {}

    /** Gathers along {@code axis} with {@code index} (row-major, shape {@code indexShape}); the result has that shape. */
    public static Tensor gather(Tensor x, int axis, int[] index, int... indexShape) {
        int[] shape = x.shape();
        int rank = shape.length;
        int a = Shapes.axis("gather", axis, rank);
        if (indexShape.length != rank) {
            throw new IllegalArgumentException("gather: index of shape " + Shapes.str(indexShape)
                    + " must have the rank of the input " + Shapes.str(shape));
        }
        if (Shapes.numel(indexShape) != index.length) {
            throw new IllegalArgumentException("gather: " + index.length + " indices do not fill shape " + Shapes.str(indexShape));
        }
        for (int d = 0; d < rank; d++) {
            if (d != a && indexShape[d] > shape[d]) {
                throw new IllegalArgumentException("gather: index shape " + Shapes.str(indexShape) + " exceeds input shape "
                        + Shapes.str(shape) + " at axis " + d);
            }
        }
        int[] xStrides = Shapes.contiguousStrides(shape);
        int[] source = new int[index.length]; // row-major position in x of each output element
        int[] idx = new int[rank];
        for (int i = 0; i < index.length; i++) {
            int v = index[i];
            if (v < 0 || v >= shape[a]) {
                throw new IndexOutOfBoundsException("gather: index " + v + " at " + Arrays.toString(idx)
                        + " is out of range for axis " + a + " of size " + shape[a] + " in shape " + Shapes.str(shape));
            }
            int pos = 0;
            for (int d = 0; d < rank; d++) pos += (d == a ? v : idx[d]) * xStrides[d];
            source[i] = pos;
            for (int d = rank - 1; d >= 0; d--) {
                if (++idx[d] < indexShape[d]) break;
                idx[d] = 0;
            }
        }
        float[] xs = x.toArray();
        float[] out = new float[index.length];
        for (int i = 0; i < out.length; i++) out[i] = xs[source[i]];
        int n = xs.length;
        return Node.record(Tensor.of(out, indexShape.clone()), "gather", (g, grads) -> {
            float[] gx = new float[n];
            for (int i = 0; i < g.length; i++) gx[source[i]] += g[i];
            grads.accumulateOwned(x, gx);
        }, x);
    }
}
