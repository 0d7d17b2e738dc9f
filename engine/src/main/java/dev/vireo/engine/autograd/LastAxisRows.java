package dev.vireo.engine.autograd;

import dev.vireo.engine.tensor.Tensor;

/**
 * A tensor read as rows of its last axis for the row kernels: its values dense on the heap (a copy
 * only when it was not already), row r at {@code offset + r·n}.
 *
 * @param array  the values
 * @param offset where row 0 starts
 * @param n      the length of the last axis
 * @param rows   how many rows (0 when n is 0)
 * @param shape  the tensor's shape
 */
record LastAxisRows(float[] array, int offset, int n, int rows, int[] shape) {

    /** The rows of x's last axis (x must have rank ≥ 1; its gradient is not tracked through this view). */
    static LastAxisRows of(Tensor x) {
        int[] shape = x.shape();
        Tensor xd = x.detach().dense();
        int n = shape[shape.length - 1];
        return new LastAxisRows(xd.array(), xd.offset(), n, n == 0 ? 0 : xd.numel() / n, shape);
    }

    /** Where row r starts in {@link #array}. */
    int at(int r) {
        return offset + r * n;
    }

    /** Elements in all. */
    int size() {
        return rows * n;
    }
}
