package dev.vireo.engine.kernel.gemm;

import dev.vireo.engine.kernel.row.UnaryOp;
import dev.vireo.engine.kernel.row.VectorRowKernels;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The register-tiled micro-kernels of {@link PackedGemm}: an MR×(2·lanes) tile of C held in 2·MR
 * vector accumulators, updated by one rank-1 product per k step (two B loads, MR broadcasts of A,
 * 2·MR FMAs). 512 bits: 8×32 in 16 of AVX-512's 32 registers (measured a few % faster than 6×32);
 * 256 and 128 bits: 6 rows, 12 accumulators, so AVX2's 16 registers do not spill. One class per
 * width, each with its species in a {@code static final} field: C2 only turns Vector API calls into
 * machine vectors when the species is a constant (a species read from an instance field ran the same
 * loop ~70× slower on JDK 25). The bodies are identical but for the species and MR, and are unrolled
 * (a vector stays in a register only as a local variable), so {@code MicroKernel512},
 * {@code MicroKernel256} and {@code MicroKernel128} are generated from one template by
 * {@code KernelSourceGenerator} (engine tests), which a test re-runs and compares. A larger tile
 * (8×48, 24 accumulators) spills registers and collapses. The quad tile ({@link #quadRows}: 6×64 at
 * 512 bits in 24 accumulators, four B vectors and one broadcast a step; 3 rows below) serves a
 * request's few rows against weights packed once: from cache it runs as fast as 8×32 (~210 GFLOP/s
 * on one Zen 5 core), and where the weights stream from memory it reads four streams instead of two.
 */
abstract sealed class MicroKernel permits MicroKernel512, MicroKernel256, MicroKernel128 {

    /** The micro-kernel for a vector width of 128, 256 or 512 bits. */
    static MicroKernel of(int bits) {
        return switch (bits) {
            case 512 -> new MicroKernel512();
            case 256 -> new MicroKernel256();
            case 128 -> new MicroKernel128();
            default -> throw new IllegalArgumentException("PackedGemm: vector width must be 128, 256 or 512 bits, got " + bits);
        };
    }

    /** Rows of the register tile. */
    abstract int mr();

    /** Columns of the register tile: two vectors. */
    abstract int nr();

    /** Rows of the quad tile ({@link #quadRows}), whose 2·nr columns are four vectors. */
    abstract int qr();

    /**
     * One full mr×nr tile: {@code C = alpha·Σ_p A[:,p]·B[p,:] (+ C when load)} over kc steps of the
     * packed panels {@code ap[ai..]} and {@code bp[bi..]}. The bias comes after, in
     * {@link #finishRows}: with a bias branch here, C2 compiled the kernel for the products that ran
     * first (a ViT's patch embedding, without bias), met the layers' biases, deoptimised and compiled
     * it again, the kernel running in slower tiers meanwhile (a cold {@code vireo embed} with ViT-B/32:
     * 2.4-2.6 s instead of 2.7-3.0). Adding it to the stored tile is the same addition: the same bits.
     */
    abstract void tile(float[] ap, int ai, float[] bp, int bi, int kc,
                       float[] c, int ci, int ldc, float alpha, boolean load);

    /**
     * {@link #tile} with B packed once in strips ({@link GemmPacking#packBStrips}), two streams per tile: step
     * p's first lanes columns at {@code bp[bi + p·lanes ..]}, its last at {@code bp[bj + p·lanes ..]}.
     * The same products in the same order: the same bits. A second method rather than a stride
     * argument: with the stride a variable in the loop both layouts ran slower (a MiniLM sentence
     * 3.0-3.7 ms against 2.7-3.1, a training step 63-77 samples/s against 69-80).
     */
    abstract void tileHalves(float[] ap, int ai, float[] bp, int bi, int bj, int kc,
                             float[] c, int ci, int ldc, float alpha, boolean load);

    /**
     * {@link #tile} on operands read where they are stored: step p's mr values of A at
     * {@code ap[ai + p·aStep ..]} (Aᵀ stored k×m: {@code aStep} = its row stride) and 2·lanes values
     * of B at {@code bp[bi + p·bStep ..]} (B stored k×n). The same products in the same order: the same
     * bits as packing them first. For weight gradients gᵀ·x, whose long k made packing both operands
     * cost as much as the products.
     */
    abstract void tileStrided(float[] ap, int ai, int aStep, float[] bp, int bi, int bStep, int kc,
                              float[] c, int ci, int ldc, float alpha, boolean load);

    /**
     * The tile's first {@code h} (1..mr) rows, A's rows read where they are stored (row r at
     * {@code a[ai + r·lda ..]}), not packed: a request's few rows against a prepacked weight, where
     * packing A would be the only work not shared out, and a last partial micro-panel computes only
     * its own rows (a 17-token sentence padded to 24 rows ran 10% slower than ONNX Runtime; 16 tokens,
     * no padding, 8% faster). Each row's products in the same order as {@link #tile}: the same bits.
     */
    abstract void tileRows(int h, float[] a, int ai, int lda, float[] bp, int bi, int kc,
                           float[] c, int ci, int ldc, float alpha, boolean load);

    /** {@link #tileRows} with B packed in strips, as {@link #tileHalves} reads it. */
    abstract void tileHalvesRows(int h, float[] a, int ai, int lda, float[] bp, int bi, int bj, int kc,
                                 float[] c, int ci, int ldc, float alpha, boolean load);

    /**
     * A qr×(2·nr) tile on {@code h} (1..qr) of its rows, A's rows read where they are stored (as
     * {@link #tileRows}), B packed once in strips ({@link GemmPacking#packBStrips}): step p's four
     * vectors of columns at {@code bp[bi + p·lanes + s·stride ..]}, s = 0..3. For a request's few rows
     * against weights that stream from memory: four vectors of B per step serve one row tile's
     * 4·qr FMAs, and a k-block's strips are four streams for the prefetchers instead of two. Each row's
     * products in the same order as {@link #tile}: the same bits.
     */
    abstract void quadRows(int h, float[] a, int ai, int lda, float[] bp, int bi, int stride, int kc,
                           float[] c, int ci, int ldc, float alpha, boolean load);

    /**
     * The final stages on {@code rows} rows of nr values of C just written by {@link #tile}:
     * {@code C = act(C + bias) (+ residual)}; bias, act and residual may be null.
     */
    final void finishRows(float[] c, int ci, int ldc, int rows, float[] bias, int biasOff, UnaryOp act, float[] res, int ri, int ldr) {
        finishRows(c, ci, ldc, rows, nr(), bias, biasOff, act, res, ri, ldr);
    }

    /** As {@link #finishRows(float[], int, int, int, float[], int, UnaryOp, float[], int, int)} on rows of w values (an edge tile's fewer than nr, a quad tile's 2·nr). */
    final void finishRows(float[] c, int ci, int ldc, int rows, int w, float[] bias, int biasOff, UnaryOp act, float[] res, int ri, int ldr) {
        // one pointwise loop per function (see VectorPointwise): a vector crossing a call C2 did not inline is boxed
        VectorRowKernels k = pointwise();
        for (int r = 0; r < rows; r++, ci += ldc, ri += ldr) {
            if (bias != null) k.add(c, ci, c, ci, bias, biasOff, w);
            if (act != null) k.unary(act, c, ci, c, ci, w);
            if (res != null) k.add(c, ci, c, ci, res, ri, w);
        }
    }

    /** Pointwise kernels of this width (lane for lane the same bits as any other width). */
    abstract VectorRowKernels pointwise();
}
