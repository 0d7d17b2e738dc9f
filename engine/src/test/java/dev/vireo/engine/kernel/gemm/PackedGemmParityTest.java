package dev.vireo.engine.kernel.gemm;

import dev.vireo.engine.kernel.row.UnaryOp;
import dev.vireo.engine.parallel.ComputePool;
import dev.vireo.engine.tensor.Rng;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * PackedGemm against the scalar reference: awkward sizes around the tile, block and lane sizes,
 * all four transpose forms, offsets and wide strides, every vector width, NaN/∞, accumulate,
 * each epilogue stage, and bit-identical results for 1 and 2 threads.
 */
class PackedGemmParityTest {
    private static final String[] FORMS = {"nn", "nt", "tn", "tt"};
    private static final int[] DIMS = {0, 1, 2, 5, 6, 7, 8, 15, 16, 17, 31, 32, 33, 37, 47, 48, 49, 97};
    private static final ScalarGemm REFERENCE = new ScalarGemm();
    private static final ComputePool ONE = new ComputePool(1);
    private static final ComputePool TWO = new ComputePool(2);

    @AfterAll
    static void close() {
        ONE.close();
        TWO.close();
    }

    /** Each awkward size in each of the three positions, with the others fixed at odd sizes. */
    static List<int[]> shapes() {
        List<int[]> out = new ArrayList<>();
        for (int d : DIMS) {
            out.add(new int[] {d, 19, 23});
            out.add(new int[] {13, d, 29});
            out.add(new int[] {11, 21, d});
        }
        // around the blocks: MC = 96 rows, NB = 512 columns, KC = 256
        out.add(new int[] {95, 40, 383});
        out.add(new int[] {97, 33, 385});
        out.add(new int[] {193, 513, 20});
        out.add(new int[] {7, 511, 769});
        return out;
    }

    /** Shares every product out over the threads, however small (the default runs small ones on one). */
    private static PackedGemm sharingAll(int bits) {
        return new PackedGemm(bits, 0);
    }

    private static void checkParity(int bits, int m, int n, int k, String form, boolean accumulate, Epilogue e,
                                    double rtol, Rng rng) {
        GemmCase g = new GemmCase(rng, m, n, k, form);
        float[] expected = g.run(REFERENCE, ONE, accumulate, e);
        float[] actual = g.run(sharingAll(bits), TWO, accumulate, e);
        g.assertClose("packed-" + bits + " " + g, expected, actual, g.atol(), rtol);
    }

    @ParameterizedTest
    @ValueSource(ints = {128, 256, 512})
    void matchesReferenceOnAwkwardSizes(int bits) {
        Rng rng = new Rng(bits);
        for (int[] s : shapes()) {
            for (String form : FORMS) checkParity(bits, s[0], s[1], s[2], form, false, Epilogue.NONE, 1e-5, rng);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {128, 256, 512})
    void matchesReferenceOnALargeProblem(int bits) {
        Rng rng = new Rng(11);
        for (String form : FORMS) checkParity(bits, 300, 260, 500, form, false, Epilogue.NONE, 1e-5, rng);
    }

    @ParameterizedTest
    @ValueSource(ints = {128, 256, 512})
    void accumulatesIntoC(int bits) {
        Rng rng = new Rng(5);
        for (String form : FORMS) {
            checkParity(bits, 37, 41, 400, form, true, Epilogue.NONE, 1e-5, rng);
            checkParity(bits, 12, 64, 0, form, true, Epilogue.NONE, 0, rng);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {128, 256, 512})
    void appliesEachEpilogueStage(int bits) {
        Rng rng = new Rng(3);
        for (int[] s : new int[][] {{37, 41, 400}, {6, 32, 16}, {1, 1, 1}, {13, 70, 0}}) {
            int m = s[0], n = s[1], k = s[2];
            float[] bias = GemmCase.random(rng, n + 4);
            float[] residual = GemmCase.random(rng, 2 + m * (n + 3));
            List<Epilogue> epilogues = List.of(
                    Epilogue.NONE.withAlpha(0.37f),
                    Epilogue.NONE.withBias(bias, 4),
                    Epilogue.NONE.withActivation(UnaryOp.GELU),
                    Epilogue.NONE.withActivation(UnaryOp.QUICK_GELU),
                    Epilogue.NONE.withResidual(residual, 2, n + 3),
                    Epilogue.NONE.withAlpha(-1.5f).withBias(bias, 1).withActivation(UnaryOp.GELU)
                            .withResidual(residual, 2, n + 3));
            for (Epilogue e : epilogues) {
                for (String form : FORMS) {
                    checkParity(bits, m, n, k, form, false, e, 1e-5, rng);
                    checkParity(bits, m, n, k, form, true, e, 1e-5, rng);
                }
            }
            // every activation; exp magnifies the sum's rounding, hence the looser rtol
            for (UnaryOp op : UnaryOp.values()) {
                checkParity(bits, m, n, k, "nt", false, Epilogue.NONE.withActivation(op), 1e-4, rng);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {128, 256, 512})
    void propagatesNaNAndInfinity(int bits) {
        for (String form : FORMS) {
            GemmCase g = new GemmCase(new Rng(9), 20, 40, 30, form);
            // A[2, 5] = NaN poisons row 2; B[7, 3] = +∞ makes column 3 ±∞ (or NaN where A[i, 7] is 0)
            g.a[g.aOff + (g.transA ? 5 * g.lda + 2 : 2 * g.lda + 5)] = Float.NaN;
            g.b[g.bOff + (g.transB ? 3 * g.ldb + 7 : 7 * g.ldb + 3)] = Float.POSITIVE_INFINITY;
            float[] expected = g.run(REFERENCE, ONE, false, Epilogue.NONE);
            float[] actual = g.run(new PackedGemm(bits), ONE, false, Epilogue.NONE);
            g.assertClose("packed-" + bits + " " + g, expected, actual, g.atol(), 1e-5);
            assertThat(actual[g.cOff + 2 * g.ldc + 9]).isNaN();
            assertThat(Float.isInfinite(actual[g.cOff + 4 * g.ldc + 3])).isTrue();
        }
    }

    @Test
    void oneAndTwoThreadsAreBitIdentical() {
        Rng rng = new Rng(21);
        float[] bias = GemmCase.random(rng, 1100);
        for (String form : FORMS) {
            GemmCase g = new GemmCase(rng, 250, 1100, 800, form);
            Epilogue e = Epilogue.NONE.withBias(bias, 0).withActivation(UnaryOp.GELU);
            PackedGemm packed = sharingAll(FloatVector.SPECIES_PREFERRED.vectorBitSize());
            float[] one = g.run(packed, ONE, true, e);
            float[] two = g.run(packed, TWO, true, e);
            assertThat(two).as("packed " + g + " with 2 threads vs 1").isEqualTo(one);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {128, 256, 512})
    void longKAgainstASmallSideRunsItsKBlocksInsideTasks(int bits) {
        Rng rng = new Rng(31);
        float[] bias = GemmCase.random(rng, 2100);
        Epilogue e = Epilogue.NONE.withBias(bias, 0).withActivation(UnaryOp.GELU);
        // 9 k-blocks: columns split (m < n), rows split (m >= n), a side smaller than one tile, and
        // columns split into halves wide enough (1050) for groups of k-blocks
        for (int[] s : new int[][] {{70, 300, 2100}, {300, 45, 2100}, {9, 7, 2050}, {20, 2100, 2100}, {90, 120, 1100}}) { // the last: both sides small, 5 k-blocks
            for (String form : FORMS) {
                GemmCase g = new GemmCase(rng, s[0], s[1], s[2], form);
                PackedGemm packed = sharingAll(bits);
                float[] one = g.run(packed, ONE, true, e);
                g.assertClose("packed-" + bits + " " + g, g.run(REFERENCE, ONE, true, e), g.run(packed, TWO, true, e), g.atol(), 2e-5);
                assertThat(g.run(packed, TWO, true, e)).as("2 threads vs 1, " + g).isEqualTo(one);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {128, 256, 512})
    void wideProductsRunTheirKBlocksInGroups(int bits) {
        Rng rng = new Rng(41);
        int m = 100, n = 1100, k = 1100; // packed B of a k-block: KC·1100+ floats > L2_RESIDENT_B, so groups of KG blocks
        assertThat((long) PackedGemm.KC * n).isGreaterThan(PackedGemm.L2_RESIDENT_B);
        float[] bias = GemmCase.random(rng, n);
        Epilogue e = Epilogue.NONE.withBias(bias, 0).withActivation(UnaryOp.GELU);
        for (String form : FORMS) {
            // 5 k-blocks (groups of 3 and 2, the last block 76 deep), 3 column chunks, a short last row panel
            GemmCase g = new GemmCase(rng, m, n, k, form);
            PackedGemm packed = sharingAll(bits);
            float[] one = g.run(packed, ONE, true, e);
            g.assertClose("packed-" + bits + " " + g, g.run(REFERENCE, ONE, true, e), one, g.atol(), 2e-5);
            assertThat(g.run(packed, TWO, true, e)).as("2 threads vs 1, " + g).isEqualTo(one);
        }
    }

    @Test
    void rowBlocksAreBalancedMultiplesOfTheTileHeight() {
        for (int bits : new int[] {128, 256, 512}) {
            PackedGemm packed = sharingAll(bits);
            int mr = MicroKernel.of(bits).mr();
            for (int m : new int[] {1, 7, 64, 250, 256, 1024, 3200, 8320}) {
                for (int threads : new int[] {1, 2, 3}) {
                    int rows = packed.rowBlock(m, threads), blocks = (m + rows - 1) / rows;
                    assertThat(rows).as("m=" + m + " threads=" + threads).isPositive().isLessThanOrEqualTo(PackedGemm.MC);
                    assertThat(rows % mr == 0 || rows >= m).as("m=" + m + " rows=" + rows).isTrue();
                    // idle thread-blocks in the last round at most 1/16 of the work (10 + 1 blocks of 96 for 1024 rows failed this)
                    int idle = (blocks + threads - 1) / threads * threads - blocks;
                    if (m >= 1024) assertThat(idle * 16).as("m=" + m + ": " + blocks + " blocks on " + threads).isLessThanOrEqualTo(blocks);
                }
            }
        }
    }

    @Test
    void threeThreadsOnUnevenRowBlocksAreBitIdenticalToOne() {
        Rng rng = new Rng(22);
        try (ComputePool three = new ComputePool(3)) {
            for (String form : FORMS) {
                GemmCase g = new GemmCase(rng, 1024, 300, 260, form); // 1024 rows: blocks of 88 on 2 threads, other sizes on 3
                PackedGemm packed = sharingAll(FloatVector.SPECIES_PREFERRED.vectorBitSize());
                float[] one = g.run(packed, ONE, false, Epilogue.NONE);
                assertThat(g.run(packed, TWO, false, Epilogue.NONE)).as("2 threads " + g).isEqualTo(one);
                assertThat(g.run(packed, three, false, Epilogue.NONE)).as("3 threads " + g).isEqualTo(one);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {128, 256, 512})
    void aSingleKBlockOfStoredRowsGivesThePackedBits(int bits) {
        // k ≤ KC with A's rows stored: the tiles read A in place; the same A stored transposed is
        // packed. Both must give the same bits (each element sums its products in the same order)
        Rng rng = new Rng(51);
        for (int[] s : new int[][] {{250, 70, 64}, {13, 33, 1}, {97, 65, 255}, {200, 64, 256}, {7, 513, 17}}) {
            int m = s[0], n = s[1], k = s[2];
            float[] bias = GemmCase.random(rng, n);
            float[] residual = GemmCase.random(rng, m * n);
            Epilogue e = Epilogue.NONE.withBias(bias, 0).withActivation(UnaryOp.GELU).withResidual(residual, 0, n);
            for (String formB : new String[] {"n", "t"}) {
                GemmCase rows = new GemmCase(rng, m, n, k, "n" + formB);
                float[] at = new float[k * m]; // A stored transposed: k × m
                for (int i = 0; i < m; i++) for (int p = 0; p < k; p++) at[p * m + i] = rows.a[rows.aOff + i * rows.lda + p];
                PackedGemm packed = sharingAll(bits);
                for (ComputePool pool : new ComputePool[] {ONE, TWO}) {
                    for (boolean accumulate : new boolean[] {false, true}) {
                        float[] inPlace = rows.run(packed, pool, accumulate, e);
                        float[] packedA = rows.c.clone();
                        packed.gemm(pool, packedA, rows.cOff, rows.ldc, at, 0, m, true, rows.b, rows.bOff, rows.ldb, rows.transB,
                                m, n, k, accumulate, e);
                        assertThat(inPlace).as("A in place vs packed, " + rows + " accumulate " + accumulate).isEqualTo(packedA);
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {128, 256, 512})
    void aRequestsRowsGiveTheBitsOfTheSameRowsInABatch(int bits) {
        // a request's rows (one row block) are packed by a scalar copy, a batch's by a gather at 512
        // bits: the first rows of C must come out the same either way
        Rng rng = new Rng(53);
        for (int[] s : new int[][] {{50, 70, 600}, {9, 40, 257}, {96, 33, 513}}) {
            int rows = s[0], n = s[1], k = s[2], batch = 300;
            GemmCase whole = new GemmCase(rng, batch, n, k, "nt");
            float[] bias = GemmCase.random(rng, n);
            Epilogue e = Epilogue.NONE.withBias(bias, 0).withActivation(UnaryOp.GELU);
            for (ComputePool pool : new ComputePool[] {ONE, TWO}) {
                PackedGemm packed = sharingAll(bits);
                float[] all = whole.run(packed, pool, false, e);
                float[] few = whole.c.clone();
                packed.gemm(pool, few, whole.cOff, whole.ldc, whole.a, whole.aOff, whole.lda, false, whole.b, whole.bOff, whole.ldb, true,
                        rows, n, k, false, e);
                int from = whole.cOff, to = whole.cOff + (rows - 1) * whole.ldc + n;
                assertThat(Arrays.copyOfRange(few, from, to)).as(rows + " of " + whole + ", " + pool.threads() + " threads")
                        .isEqualTo(Arrays.copyOfRange(all, from, to));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {128, 256, 512})
    void weightGradientsReadInPlaceGiveThePackedBits(int bits) {
        // Aᵀ stored k×m and B stored k×n in whole tiles read in place (a weight's gradient gᵀ·x); the
        // same product with B stored transposed is packed. Same bits, and the reference's values
        Rng rng = new Rng(61);
        int mr = MicroKernel.of(bits).mr(), nr = MicroKernel.of(bits).nr();
        for (int[] s : new int[][] {{4, 2, 1}, {4, 2, 255}, {8, 2, 256}, {2, 8, 257}, {8, 2, 900}, {1, 1, 3072}}) {
            int m = s[0] * mr, n = s[1] * nr, k = s[2];
            float[] bias = GemmCase.random(rng, n);
            float[] residual = GemmCase.random(rng, m * n);
            for (Epilogue e : List.of(Epilogue.NONE, Epilogue.NONE.withAlpha(0.5f).withBias(bias, 0).withActivation(UnaryOp.GELU)
                    .withResidual(residual, 0, n))) {
                GemmCase inPlace = new GemmCase(rng, m, n, k, "tn");
                float[] bt = new float[n * k]; // B stored transposed: n × k
                for (int p = 0; p < k; p++) for (int j = 0; j < n; j++) bt[j * k + p] = inPlace.b[inPlace.bOff + p * inPlace.ldb + j];
                PackedGemm packed = sharingAll(bits);
                for (boolean accumulate : new boolean[] {false, true}) {
                    float[] one = inPlace.run(packed, ONE, accumulate, e);
                    float[] packedB = inPlace.c.clone();
                    packed.gemm(ONE, packedB, inPlace.cOff, inPlace.ldc, inPlace.a, inPlace.aOff, inPlace.lda, true, bt, 0, k, true,
                            m, n, k, accumulate, e);
                    assertThat(one).as("in place vs packed, " + inPlace + " accumulate " + accumulate).isEqualTo(packedB);
                    assertThat(inPlace.run(packed, TWO, accumulate, e)).as("2 threads vs 1, " + inPlace).isEqualTo(one);
                    inPlace.assertClose("packed-" + bits + " " + inPlace, inPlace.run(REFERENCE, ONE, accumulate, e), one, inPlace.atol(), 2e-5);
                }
            }
        }
    }

    @Test
    void rejectsAnUnknownWidth() {
        assertThatThrownBy(() -> new PackedGemm(64))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("64");
    }
}
