package dev.vireo.engine.fused;

import dev.vireo.engine.tensor.Rng;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;

import static dev.vireo.engine.testing.Tolerances.assertAllClose;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Each fused primitive at every width against the scalar reference, over sizes around the lane and tile counts. */
class FusedKernelsParityTest {
    private static final FusedKernels REF = FusedProvider.scalar();
    private static final int[] SIZES = {0, 1, 3, 4, 5, 6, 7, 8, 9, 15, 16, 17, 31, 32, 33, 47, 64, 65, 97, 300};

    static List<FusedKernels> kernels() {
        return FusedTesting.allKernels();
    }

    private static float[] rand(Rng rng, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) rng.nextGaussian();
        return a;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kernels")
    void gemmEveryLayoutAndSize(FusedKernels fk) {
        Rng rng = new Rng(1);
        int[][] shapes = {{1, 1, 1}, {6, 32, 5}, {7, 33, 17}, {13, 50, 64}, {5, 3, 300}, {19, 65, 2}, {12, 100, 513}, {3, 7, 0}};
        for (int[] s : shapes) {
            int m = s[0], n = s[1], k = s[2];
            for (boolean transA : new boolean[] {false, true}) {
                for (boolean acc : new boolean[] {false, true}) {
                    int off = 3, lda = transA ? m + 2 : k + 1, ldb = n + 3, ldc = n + 1;
                    float[] a = rand(rng, off + (transA ? k : m) * lda + 8), b = rand(rng, off + k * ldb + 8);
                    float[] c0 = rand(rng, off + m * ldc + 8), c1 = c0.clone();
                    int aRow = transA ? 1 : lda, aCol = transA ? lda : 1;
                    REF.gemm(c0, off, ldc, a, off, aRow, aCol, b, off, ldb, m, n, k, 0.7f, acc);
                    fk.gemm(c1, off, ldc, a, off, aRow, aCol, b, off, ldb, m, n, k, 0.7f, acc);
                    assertAllClose(fk.name() + " gemm " + m + "x" + n + "x" + k, c0, c1, 1e-5 * Math.sqrt(k + 1), 1e-5);
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kernels")
    void transposeEverySizeStrideAndSpecialValue(FusedKernels fk) {
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
                float[] want = new float[dOff + width * ld + 4], got = new float[want.length];
                java.util.Arrays.fill(want, -7f);
                java.util.Arrays.fill(got, -7f);
                REF.transpose(want, dOff, ld, src, sOff, srcLd, rows, width);
                fk.transpose(got, dOff, ld, src, sOff, srcLd, rows, width);
                assertThat(got).as(fk.name() + " transpose " + rows + "x" + width).containsExactly(want);
                for (int j = 0; j < rows; j++) {
                    for (int c = 0; c < width; c++) {
                        assertThat(Float.floatToRawIntBits(want[dOff + c * ld + j])).isEqualTo(Float.floatToRawIntBits(src[sOff + j * srcLd + c]));
                    }
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kernels")
    void rowPrimitives(FusedKernels fk) {
        Rng rng = new Rng(2);
        for (int n : SIZES) {
            float[] x = rand(rng, n + 2), y = rand(rng, n + 2), col = rand(rng, n + 2);
            double tol = 1e-5 * Math.max(1, n);
            assertThat(fk.max(x, 1, n)).isEqualTo(REF.max(x, 1, n));
            assertThat((double) fk.expShiftSum(x, 1, n, 0.5f)).isCloseTo(REF.expShiftSum(x, 1, n, 0.5f), within(tol));
            assertThat((double) fk.dot(x, 1, y, 2, n)).isCloseTo(REF.dot(x, 1, y, 2, n), within(tol));
            float[] e0 = x.clone(), e1 = x.clone();
            assertThat((double) fk.expShiftInPlace(e1, 1, n, 0.3f)).isCloseTo(REF.expShiftInPlace(e0, 1, n, 0.3f), within(tol));
            assertAllClose(fk.name() + " expShiftInPlace", e0, e1, 0, 1e-6);
            float[] s0 = x.clone(), s1 = x.clone();
            REF.softmaxGradInPlace(s0, 1, y, 1, n, 0.2f, 0.5f);
            fk.softmaxGradInPlace(s1, 1, y, 1, n, 0.2f, 0.5f);
            assertAllClose(fk.name() + " softmaxGradInPlace", s0, s1, 1e-7, 1e-6);
            float[] g0 = x.clone(), g1 = x.clone();
            double d0 = REF.clipGradRowInPlace(g0, 1, 1.5f, col, 2, n, 0.25f);
            double d1 = fk.clipGradRowInPlace(g1, 1, 1.5f, col, 2, n, 0.25f);
            assertAllClose(fk.name() + " clipGradRowInPlace", g0, g1, 1e-7, 1e-6);
            assertThat(d1).isCloseTo(d0, within(tol));
            int diag = n / 2;
            assertThat(fk.sigmoidLossRow(x, 1, n, diag, -2f)).isCloseTo(REF.sigmoidLossRow(x, 1, n, diag, -2f), within(tol));
            double[] q0 = new double[2], q1 = new double[2];
            float[] z0 = x.clone(), z1 = x.clone();
            REF.sigmoidGradRowInPlace(z0, 1, n, diag, -2f, 0.1f, q0);
            fk.sigmoidGradRowInPlace(z1, 1, n, diag, -2f, 0.1f, q1);
            assertAllClose(fk.name() + " sigmoidGradRowInPlace", z0, z1, 1e-7, 1e-6);
            assertThat(q1[0]).isCloseTo(q0[0], within(tol));
            assertThat(q1[1]).isCloseTo(q0[1], within(tol));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kernels")
    void columnStatistics(FusedKernels fk) {
        Rng rng = new Rng(3);
        for (int n : SIZES) {
            int rows = 5, ld = n + 3;
            float[] x = rand(rng, 2 + rows * ld);
            float[] m0 = rand(rng, n), m1 = m0.clone(), s0 = rand(rng, n), s1 = s0.clone();
            REF.columnMax(m0, x, 2, ld, rows, n);
            fk.columnMax(m1, x, 2, ld, rows, n);
            assertThat(m1).containsExactly(m0);
            REF.columnExpSum(s0, m0, x, 2, ld, rows, n);
            fk.columnExpSum(s1, m0, x, 2, ld, rows, n);
            assertAllClose(fk.name() + " columnExpSum", s0, s1, 1e-6, 1e-5);
        }
    }
}
