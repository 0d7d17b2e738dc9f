package dev.vireo.examples.lessons.beginner;

import dev.vireo.examples.lessons.Lesson;

import dev.vireo.engine.kernel.KernelProvider;
import dev.vireo.engine.parallel.ComputePool;
import dev.vireo.engine.tensor.Rng;
import dev.vireo.engine.tensor.Tensor;

import java.io.PrintStream;
import java.util.Arrays;

/**
 * Lesson 1 (beginner): tensors. A tensor is a view — shape, strides, offset — of flat float storage.
 * Reshape, transpose and narrow make new views without copying; broadcasting stretches size-1 axes;
 * matmul is the workhorse every model runs on. Checks: views alias, broadcasting and matmul give
 * the numbers a hand-written loop gives.
 */
public final class B01Tensors implements Lesson {

    @Override
    public boolean run(Context ctx) {
        PrintStream out = ctx.out();
        boolean ok = true;

        // region create
        // Step 1: a tensor is flat storage plus a shape.
        Tensor x = Tensor.arange(12).reshape(3, 4);           // (3, 4): 0..11 row by row
        out.println("x = arange(12).reshape(3, 4): " + x);
        out.println("  shape " + Arrays.toString(x.shape()) + ", strides " + Arrays.toString(x.strides()));
        // endregion create

        // region views
        // Step 2: views share the storage. Transpose swaps strides; nothing is copied.
        Tensor xt = x.transpose(0, 1);                        // (4, 3)
        out.println("x.T strides " + Arrays.toString(xt.strides()) + ", same storage: " + (xt.storage() == x.storage()));
        x.set(100f, 1, 2);                                    // write through the original...
        out.println("after x[1,2] = 100, x.T[2,1] = " + xt.get(2, 1)); // ...and the view sees it
        ok &= check(out, "a transposed view aliases its source", xt.get(2, 1) == 100f && xt.storage() == x.storage());
        Tensor middle = x.narrow(1, 1, 2);                    // (3, 2): columns 1 and 2
        out.println("x[:, 1:3] = " + middle + (middle.isContiguous() ? "" : " (a strided view)"));
        // endregion views

        // region broadcast
        // Step 3: broadcasting. A (3, 1) column and a (4,) row combine into a (3, 4) table.
        Tensor col = Tensor.of(new float[] {1, 2, 3}, 3, 1);  // (3, 1)
        Tensor row = Tensor.of(new float[] {10, 20, 30, 40}, 4); // (4,)
        Tensor table = col.mul(row);                          // (3, 4)
        out.println("(3,1) * (4,) = " + table);
        boolean bcast = true;
        for (int i = 0; i < 3; i++) for (int j = 0; j < 4; j++) bcast &= table.get(i, j) == (i + 1) * 10f * (j + 1);
        ok &= check(out, "broadcasting builds the multiplication table", bcast);
        // endregion broadcast

        // region matmul
        // Step 4: matrix multiplication on the vector kernels, against a plain triple loop.
        int m = ctx.quick() ? 33 : 257, k = 129, n = 65;
        Rng rng = new Rng(1);
        Tensor a = Tensor.randn(rng, 0f, 1f, m, k);           // (M, K)
        Tensor b = Tensor.randn(rng, 0f, 1f, k, n);           // (K, N)
        long t0 = System.nanoTime();
        Tensor c = a.matmul(b);                               // (M, N)
        double ms = (System.nanoTime() - t0) / 1e6;
        double maxErr = 0;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) s += (double) a.get(i, p) * b.get(p, j);
                maxErr = Math.max(maxErr, Math.abs(s - c.get(i, j)));
            }
        }
        out.printf("(%d x %d) @ (%d x %d) in %.2f ms on %s kernels, %d thread(s); max |error| vs a double loop = %.2e%n",
                m, k, k, n, ms, KernelProvider.get().name(), ComputePool.global().threads(), maxErr);
        ok &= check(out, "matmul agrees with the loop to float precision", maxErr < 1e-3);
        // endregion matmul

        // region transposed
        // Step 5: a transposed view goes straight into matmul: aᵀ·a needs no copy of a.
        Tensor gram = a.transpose(0, 1).matmul(a);            // (K, K), symmetric
        ok &= check(out, "aᵀa is symmetric", Math.abs(gram.get(3, 7) - gram.get(7, 3)) < 1e-3);
        // endregion transposed
        return ok;
    }

    static boolean check(PrintStream out, String what, boolean passed) {
        out.println((passed ? "  [ok] " : "  [FAILED] ") + what);
        return passed;
    }

    public static void main(String[] args) throws Exception {
        Lesson.main(new B01Tensors(), args);
    }
}
