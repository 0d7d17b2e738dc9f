package dev.vireo.engine.tensor;

import java.util.Arrays;

/** Shape arithmetic: sizes, strides, broadcasting, axis normalisation, and shape text for errors. */
public final class Shapes {
    private Shapes() {}

    /** Number of elements of a shape (1 for a scalar), with an error on int overflow. */
    public static int numel(int[] shape) {
        long n = 1;
        for (int d : shape) {
            if (d < 0) throw new IllegalArgumentException("negative dimension in shape " + str(shape));
            n *= d;
            if (n > Integer.MAX_VALUE) throw new IllegalArgumentException("shape " + str(shape) + " has more than 2^31 elements");
        }
        return (int) n;
    }

    /** Row-major strides of a shape. */
    public static int[] contiguousStrides(int[] shape) {
        int[] strides = new int[shape.length];
        int s = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            strides[i] = s;
            s *= Math.max(shape[i], 1);
        }
        return strides;
    }

    /** "(4, 7)" */
    public static String str(int[] shape) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            if (i > 0) sb.append(", ");
            sb.append(shape[i]);
        }
        return sb.append(shape.length == 1 ? ",)" : ")").toString();
    }

    /** An axis in [-rank, rank) as a non-negative index, or an error naming the op. */
    public static int axis(String op, int axis, int rank) {
        int a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) {
            throw new IllegalArgumentException(op + ": axis " + axis + " is out of range for a tensor of rank " + rank);
        }
        return a;
    }

    /** The broadcast of two shapes (NumPy rules), or an error naming the op and both shapes. */
    public static int[] broadcast(String op, int[] a, int[] b) {
        int rank = Math.max(a.length, b.length);
        int[] out = new int[rank];
        for (int i = 0; i < rank; i++) {
            int da = i - (rank - a.length) >= 0 ? a[i - (rank - a.length)] : 1;
            int db = i - (rank - b.length) >= 0 ? b[i - (rank - b.length)] : 1;
            if (da != db && da != 1 && db != 1) {
                throw new IllegalArgumentException(op + ": shapes " + str(a) + " and " + str(b)
                        + " do not broadcast (dimension " + i + ": " + da + " vs " + db + ")");
            }
            out[i] = da == 1 ? db : da;
        }
        return out;
    }

    /**
     * Strides for reading a tensor of {@code shape}/{@code strides} as if it had the broadcast shape
     * {@code target}: stride 0 on broadcast dimensions.
     */
    public static int[] broadcastStrides(int[] shape, int[] strides, int[] target) {
        int[] out = new int[target.length];
        int lead = target.length - shape.length;
        for (int i = 0; i < target.length; i++) {
            int j = i - lead;
            out[i] = j < 0 || shape[j] == 1 ? 0 : strides[j];
        }
        return out;
    }

    public static boolean equal(int[] a, int[] b) {
        return Arrays.equals(a, b);
    }

    /** Resolves one -1 in a reshape target against the element count. */
    public static int[] inferReshape(int[] from, int[] to) {
        int n = numel(from);
        int infer = -1;
        long known = 1;
        for (int i = 0; i < to.length; i++) {
            if (to[i] == -1) {
                if (infer >= 0) throw new IllegalArgumentException("reshape: more than one -1 in " + str(to));
                infer = i;
            } else {
                if (to[i] < 0) throw new IllegalArgumentException("reshape: negative dimension in " + str(to));
                known *= to[i];
            }
        }
        int[] out = to.clone();
        if (infer >= 0) {
            if (known == 0 || n % known != 0) {
                throw new IllegalArgumentException("reshape: cannot reshape " + str(from) + " into " + str(to));
            }
            out[infer] = (int) (n / known);
        }
        if (numel(out) != n) {
            throw new IllegalArgumentException("reshape: cannot reshape " + str(from) + " (" + n + " elements) into "
                    + str(to) + " (" + numel(out) + " elements)");
        }
        return out;
    }
}
