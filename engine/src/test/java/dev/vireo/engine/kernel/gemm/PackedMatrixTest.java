package dev.vireo.engine.kernel.gemm;

import dev.vireo.engine.kernel.row.UnaryOp;
import dev.vireo.engine.tensor.Rng;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.vireo.engine.testing.Threads.withThreads;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * B packed once ({@link PackedMatrix}) gives the bits of the same product with B as it is, at every
 * width, for both stored forms of B, around the tile and block sizes (KC k-blocks, KG groups, NC
 * panels), with each epilogue stage and NaN/∞; bounds are checked; the scalar reference packs nothing.
 */
class PackedMatrixTest {
    /**
     * m, n, k: the last four cross NB (the chunks of packed B's strip streams, a last one
     * partial), NC, KC and the KG grouping, the very last with row blocks of packed A (the shared
     * loop's tiles); a linear layer's shapes (B stored n×k) in all four forms would only repeat them.
     */
    private static final int[][] SHAPES = {
            {1, 1, 1}, {5, 7, 3}, {17, 33, 257}, {40, 100, 0}, {0, 16, 16}, {21, 1536, 384}, {9, 384, 1536}, {3, 4100, 8},
            {200, 600, 300}};

    @ParameterizedTest
    @ValueSource(ints = {128, 256, 512})
    void productsWithPackedBAreBitIdenticalToUnpacked(int bits) {
        Rng rng = new Rng(bits);
        PackedGemm kernel = new PackedGemm(bits);
        for (int[] s : SHAPES) {
            int m = s[0], n = s[1], k = s[2];
            for (String form : m * n * k > 100_000 ? List.of("nt") : List.of("nn", "nt", "tn", "tt")) {
                GemmCase g = new GemmCase(rng, m, n, k, form);
                float[] bias = GemmCase.random(rng, n + 2);
                float[] residual = GemmCase.random(rng, 2 + m * (n + 1));
                for (Epilogue e : List.of(Epilogue.NONE, Epilogue.NONE.withAlpha(0.5f).withBias(bias, 2).withActivation(UnaryOp.GELU),
                        Epilogue.NONE.withResidual(residual, 2, n + 1))) {
                    for (boolean accumulate : new boolean[] {false, true}) {
                        float[] expected = g.c.clone();
                        kernel.multiply(expected, g.cOff, g.ldc, g.a, g.aOff, g.lda, g.transA, g.b, g.bOff, g.ldb, g.transB,
                                m, n, k, accumulate, e);
                        PackedMatrix packed = kernel.pack(g.b, g.bOff, g.ldb, g.transB, n, k);
                        float[] actual = g.c.clone();
                        packed.multiply(actual, g.cOff, g.ldc, g.a, g.aOff, g.lda, g.transA, m, accumulate, e);
                        assertThat(actual).as("%d bits, %s, %s, accumulate %s", bits, g, e, accumulate).isEqualTo(expected);
                    }
                }
            }
        }
    }

    /**
     * A request's rows against a packed B run as column tasks over every k-block (no barrier per
     * block), A read in place (quad tiles of every row count; or packed when transposed): for any thread
     * count, across NC panels, NB chunks, KC blocks, KG groups, partial quads and micro-panels and edge
     * tiles, the bits of the unpacked product on one thread.
     */
    @ParameterizedTest
    @ValueSource(ints = {128, 256, 512})
    void fewRowsAgainstPackedBGiveOneThreadsBitsOnAnyThreadCount(int bits) {
        Rng rng = new Rng(100 + bits);
        PackedGemm sharesAll = new PackedGemm(bits, 0);
        List<int[]> shapes = new java.util.ArrayList<>(List.of(new int[][] {{5, 200, 1536}, {21, 1152, 384}, {21, 384, 1536},
                {13, 4100, 300}, {8, 8300, 20}, {16, 300, 600}, {71, 384, 1536}, {50, 1100, 600}, {77, 640, 520},
                {50, 96, 3072}, {77, 96, 2048}})); // the last two: a quad and half a quad, the quad's rows split for the idle threads
        for (int m = 1; m <= 17; m++) shapes.add(new int[] {m, 330, 9}); // every partial micro-panel, at every width, as column tasks
        for (int[] s : shapes) {
            int m = s[0], n = s[1], k = s[2];
            // A as stored (read in place) and transposed (packed)
            GemmCase g = new GemmCase(rng, m, n, k, m % 4 == 0 ? "tt" : "nt");
            float[] bias = GemmCase.random(rng, n);
            float[] residual = GemmCase.random(rng, m * n);
            Epilogue e = Epilogue.NONE.withBias(bias, 0).withActivation(UnaryOp.GELU).withResidual(residual, 0, n);
            float[] expected = withThreads(1, () -> {
                float[] c = g.c.clone();
                sharesAll.multiply(c, g.cOff, g.ldc, g.a, g.aOff, g.lda, g.transA, g.b, g.bOff, g.ldb, true, m, n, k, true, e);
                return c;
            });
            PackedMatrix packed = sharesAll.pack(g.b, g.bOff, g.ldb, true, n, k);
            for (int threads : new int[] {2, 3, 5}) {
                float[] actual = withThreads(threads, () -> {
                    float[] c = g.c.clone();
                    packed.multiply(c, g.cOff, g.ldc, g.a, g.aOff, g.lda, g.transA, m, true, e);
                    return c;
                });
                assertThat(actual).as("%d bits, %dx%dx%d, %d threads", bits, m, n, k, threads).isEqualTo(expected);
            }
        }
    }

    @Test
    void nanAndInfinityPropagateAsUnpacked() {
        Rng rng = new Rng(3);
        PackedGemm kernel = new PackedGemm(512);
        GemmCase g = new GemmCase(rng, 9, 40, 30, "nt");
        g.b[g.bOff + 2 * g.ldb + 5] = Float.NaN;
        g.a[g.aOff + g.lda + 7] = Float.POSITIVE_INFINITY;
        float[] expected = g.c.clone();
        kernel.multiply(expected, g.cOff, g.ldc, g.a, g.aOff, g.lda, false, g.b, g.bOff, g.ldb, true, 9, 40, 30, false, Epilogue.NONE);
        float[] actual = g.c.clone();
        kernel.pack(g.b, g.bOff, g.ldb, true, 40, 30).multiply(actual, g.cOff, g.ldc, g.a, g.aOff, g.lda, false, 9, false, Epilogue.NONE);
        assertThat(actual).isEqualTo(expected);
    }

    @Test
    void boundsAreCheckedAndTheReferencePacksNothing() {
        PackedGemm kernel = new PackedGemm(256);
        assertThatThrownBy(() -> kernel.pack(new float[10], 0, 4, false, 4, 4)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("past its array");
        PackedMatrix p = kernel.pack(new float[16], 0, 4, false, 4, 4);
        assertThatThrownBy(() -> p.multiply(new float[8], 0, 4, new float[16], 0, 4, false, 3, false, Epilogue.NONE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("C 3x4");
        assertThat(new ScalarGemm().pack(new float[16], 0, 4, false, 4, 4)).isNull();
    }
}
