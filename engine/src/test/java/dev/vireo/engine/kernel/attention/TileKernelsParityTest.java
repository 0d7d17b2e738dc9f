package dev.vireo.engine.kernel.attention;

import dev.vireo.engine.kernel.KernelProvider;
import dev.vireo.engine.kernel.ProviderParity;
import dev.vireo.engine.tensor.Rng;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static dev.vireo.engine.kernel.ProviderParity.assertArrayWritingProviders;
import static org.assertj.core.api.Assertions.assertThat;

/** The tile family of every provider against the scalar reference, over sizes around the lane and tile counts. */
class TileKernelsParityTest {

    private static float[] rand(Rng rng, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) rng.nextGaussian();
        return a;
    }

    @Test
    void gemmEveryLayoutAndSize() {
        Rng rng = new Rng(1);
        int[][] shapes = {{1, 1, 1}, {6, 32, 5}, {7, 33, 17}, {13, 50, 64}, {5, 3, 300}, {19, 65, 2}, {12, 100, 513}, {3, 7, 0}};
        for (int[] s : shapes) {
            int m = s[0], n = s[1], k = s[2];
            for (boolean transA : new boolean[] {false, true}) {
                for (boolean acc : new boolean[] {false, true}) {
                    int off = 3, lda = transA ? m + 2 : k + 1, ldb = n + 3, ldc = n + 1;
                    float[] a = rand(rng, off + (transA ? k : m) * lda + 8), b = rand(rng, off + k * ldb + 8);
                    int aRow = transA ? 1 : lda, aCol = transA ? lda : 1;
                    assertArrayWritingProviders("gemm " + m + "x" + n + "x" + k + (transA ? " transA" : "") + (acc ? " +=" : ""),
                            rand(rng, off + m * ldc + 8), (p, c) -> p.tiles().gemm(c, off, ldc, a, off, aRow, aCol, b, off, ldb, m, n, k, 0.7f, acc),
                            1e-5 * Math.sqrt(k + 1), 1e-5);
                }
            }
        }
    }

    @Test
    void transposeEverySizeStrideAndSpecialValue() {
        Rng rng = new Rng(5);
        int[] sizes = {0, 1, 2, 7, 15, 16, 17, 31, 32, 33, 50, 64, 77};
        for (int rows : sizes) {
            for (int width : sizes) {
                int sOff = 5, srcLd = width + 3, dOff = 2, ld = rows + 1;
                float[] src = rand(rng, sOff + rows * srcLd + 4);
                if (src.length > 8) {
                    src[sOff] = Float.NaN;
                    src[src.length / 2] = Float.POSITIVE_INFINITY;
                    src[src.length - 5] = Float.NEGATIVE_INFINITY;
                }
                float[] dst = new float[dOff + width * ld + 4];
                Arrays.fill(dst, -7f);
                assertArrayWritingProviders("transpose " + rows + "x" + width, dst,
                        (p, d) -> p.tiles().transpose(d, dOff, ld, src, sOff, srcLd, rows, width), 0, 0);
                float[] want = dst.clone();
                ProviderParity.REFERENCE.tiles().transpose(want, dOff, ld, src, sOff, srcLd, rows, width);
                for (int j = 0; j < rows; j++) {
                    for (int c = 0; c < width; c++) {
                        assertThat(Float.floatToRawIntBits(want[dOff + c * ld + j])).isEqualTo(Float.floatToRawIntBits(src[sOff + j * srcLd + c]));
                    }
                }
            }
        }
    }

    @Test
    void rowDotsOfStridedRows() {
        Rng rng = new Rng(2);
        for (int n : new int[] {0, 1, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 47, 64, 65, 97, 300}) {
            int rows = 5, lda = n + 3, ldb = n + 1;
            float[] a = rand(rng, 1 + rows * lda), b = rand(rng, 2 + rows * ldb);
            assertArrayWritingProviders("rowDots n=" + n, new float[rows + 1],
                    (p, out) -> p.tiles().rowDots(out, 1, a, 1, lda, b, 2, ldb, rows, n), 1e-5 * Math.max(1, n), 0);
        }
    }

    @Test
    void everyProviderNamesItsWidth() {
        for (KernelProvider p : KernelProvider.all()) assertThat(p.name()).matches("scalar|vector-(128|256|512)");
    }
}
