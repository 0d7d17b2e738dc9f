package dev.vireo.engine.kernel.contrastive;

import dev.vireo.engine.tensor.Rng;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.vireo.engine.kernel.ProviderParity.assertArrayWritingProviders;
import static dev.vireo.engine.kernel.ProviderParity.assertFloatReturningProviders;

/** The contrastive family of every provider against the scalar reference, over sizes around the lane counts. */
class ContrastiveKernelsParityTest {

    private static float[] rand(Rng rng, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) rng.nextGaussian();
        return a;
    }

    @ParameterizedTest(name = "n={0}")
    @ValueSource(ints = {0, 1, 3, 4, 5, 6, 7, 8, 9, 15, 16, 17, 31, 32, 33, 47, 64, 65, 97, 300})
    void rowsAndColumns(int n) {
        Rng rng = new Rng(2L + n);
        float[] x = rand(rng, n + 2), col = rand(rng, n + 2);
        double tol = 1e-5 * Math.max(1, n);
        int diag = n / 2;
        assertArrayWritingProviders("clipGradRowInPlace", x, (p, l) -> p.contrastive().clipGradRowInPlace(l, 1, 1.5f, col, 2, n, 0.25f), 1e-7, 1e-6);
        assertFloatReturningProviders("clipGradRowInPlace's sum", p -> p.contrastive().clipGradRowInPlace(x.clone(), 1, 1.5f, col, 2, n, 0.25f), tol, 0);
        assertFloatReturningProviders("sigmoidLossRow", p -> p.contrastive().sigmoidLossRow(x, 1, n, diag, -2f), tol, 0);
        assertArrayWritingProviders("sigmoidGradRowInPlace", x, (p, l) -> p.contrastive().sigmoidGradRowInPlace(l, 1, n, diag, -2f, 0.1f, new double[2]), 1e-7, 1e-6);
        for (int which = 0; which < 2; which++) {
            int w = which;
            assertFloatReturningProviders("sigmoidGradRowInPlace's sum " + w, p -> {
                double[] sums = new double[2];
                p.contrastive().sigmoidGradRowInPlace(x.clone(), 1, n, diag, -2f, 0.1f, sums);
                return sums[w];
            }, tol, 0);
        }
        int rows = 5, ld = n + 3;
        float[] block = rand(rng, 2 + rows * ld), colMax = rand(rng, n);
        assertArrayWritingProviders("columnMax", colMax, (p, m) -> p.contrastive().columnMax(m, block, 2, ld, rows, n), 0, 0);
        assertArrayWritingProviders("columnExpSum", rand(rng, n), (p, s) -> p.contrastive().columnExpSum(s, colMax, block, 2, ld, rows, n), 1e-6, 1e-5);
    }
}
