package dev.vireo.engine.kernel.gemm;

import dev.vireo.engine.parallel.ComputePool;
import jdk.incubator.vector.FloatVector;

/**
 * GotoBLAS/BLIS-style GEMM with the Vector API (Goto and van de Geijn 2008; Van Zee and van de
 * Geijn, "BLIS", 2015). Loops, outer to inner: column panels of NC, k-blocks of KC (B packed once
 * per block, shared by all threads), then parallel tasks of MC rows × NB columns of C, each packing
 * its A block into a per-thread buffer and sweeping {@link MicroKernel} tiles over it.
 * Each C element is summed in the same order (k-block by k-block) whoever computes its tile, so
 * the result is bit-identical for any thread count. Edge tiles go through a small buffer.
 */
public final class PackedGemm implements GemmKernel {
    /** k-block: a 6×KC A panel plus a KC×32 B panel fit the 48 KiB L1 of the machines we target. */
    static final int KC = 384;
    /** Rows of A packed per task (a multiple of MR): the MC×KC block stays in L2. */
    static final int MC = 96;
    /** Columns per task (a multiple of every nr): the KC×NB B sub-panel stays in L2. */
    static final int NB = 512;
    /** Columns of B packed at once: bounds the shared buffer to KC·NC floats. */
    static final int NC = 4096;

    private static final int MR = MicroKernel.MR;
    private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(Buffers::new);

    private final MicroKernel micro;
    private final int nr;
    private final int bits;

    /** At the CPU's preferred vector width. */
    public PackedGemm() {
        this(FloatVector.SPECIES_PREFERRED.vectorBitSize());
    }

    /** At a forced width of 128, 256 or 512 bits (any width runs on any CPU; tests cover all three). */
    public PackedGemm(int bits) {
        this.micro = MicroKernel.of(bits);
        this.nr = micro.nr();
        this.bits = bits;
    }

    @Override
    public String name() {
        return "packed-" + bits;
    }

    @Override
    public void gemm(ComputePool pool, float[] c, int cOff, int ldc,
                     float[] a, int aOff, int lda, boolean transA,
                     float[] b, int bOff, int ldb, boolean transB,
                     int m, int n, int k, boolean accumulate, Epilogue epilogue) {
        if (m == 0 || n == 0) return;
        Buffers own = BUFFERS.get();
        int rowBlocks = (m + MC - 1) / MC;
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc), colBlocks = (nc + NB - 1) / NB;
            int panels = (nc + nr - 1) / nr;
            // k = 0 still runs one empty block, so the epilogue (bias, C_old, ...) is applied
            for (int pc = 0; pc == 0 || pc < k; pc += KC) {
                Block blk = new Block(jc, nc, pc, Math.min(KC, k - pc), accumulate || pc > 0, pc + KC >= k,
                        own.packedB(Math.max(1, KC * panels * nr)));
                pool.forEachChunk(colBlocks, cb -> GemmPacking.packB(blk.bp, cb * NB * blk.kc, b, bOff, ldb, transB,
                        blk.pc, blk.kc, blk.jc + cb * NB, Math.min(NB, blk.nc - cb * NB), nr));
                pool.forEachChunk(rowBlocks * colBlocks, t -> task(blk, t / colBlocks, t % colBlocks,
                        c, cOff, ldc, a, aOff, lda, transA, m, epilogue));
            }
        }
    }

    /** One k-block of one column panel: its packed B and what the tiles do at the end. */
    private record Block(int jc, int nc, int pc, int kc, boolean load, boolean last, float[] bp) {}

    /** Rows [ib·MC, +MC) × columns [cb·NB, +NB) of the panel: pack A, then sweep the tiles. */
    private void task(Block blk, int ib, int cb, float[] c, int cOff, int ldc,
                      float[] a, int aOff, int lda, boolean transA, int m, Epilogue e) {
        int i0 = ib * MC, mc = Math.min(MC, m - i0);
        int j0 = cb * NB, nb = Math.min(NB, blk.nc - j0);
        int kc = blk.kc;
        Buffers buf = BUFFERS.get();
        float[] ap = buf.packedA(Math.max(1, ((mc + MR - 1) / MR) * MR * kc));
        GemmPacking.packA(ap, a, aOff, lda, transA, i0, mc, blk.pc, kc, MR);
        boolean fin = blk.last && e.hasFinalStage();
        float[] bias = blk.last ? e.bias() : null;
        for (int jr = 0; jr < nb; jr += nr) {
            int w = Math.min(nr, nb - jr), bi = (j0 + jr) * kc;
            int col = blk.jc + j0 + jr;
            for (int ir = 0; ir < mc; ir += MR) {
                int h = Math.min(MR, mc - ir), row = i0 + ir, ci = cOff + row * ldc + col;
                if (h == MR && w == nr) {
                    // vector body: full tile straight into C
                    micro.tile(ap, ir * kc, blk.bp, bi, kc, c, ci, ldc, e.alpha(), blk.load, bias, e.biasOff() + col);
                    if (fin && (e.activation() != null || e.residual() != null)) {
                        micro.finishRows(c, ci, ldc, MR, e.activation(), e.residual(),
                                e.residualOff() + row * e.ldr() + col, e.ldr());
                    }
                } else {
                    // edge tile: full tile into a buffer, then the scalar epilogue on the h×w part
                    float[] t = buf.tile(MR * nr);
                    micro.tile(ap, ir * kc, blk.bp, bi, kc, t, 0, nr, 1f, false, null, 0);
                    for (int r = 0; r < h; r++) {
                        for (int x = 0; x < w; x++) {
                            int idx = ci + r * ldc + x;
                            float v = e.alpha() * t[r * nr + x] + (blk.load ? c[idx] : 0f);
                            c[idx] = blk.last ? e.finish(v, row + r, col + x) : v;
                        }
                    }
                }
            }
        }
    }

    /** Per-thread packing buffers, grown on demand and kept: no large allocation per call after warm-up. */
    private static final class Buffers {
        private float[] a = new float[0];
        private float[] b = new float[0];
        private float[] tile = new float[0];

        float[] packedA(int size) {
            if (a.length < size) a = new float[size];
            return a;
        }

        float[] packedB(int size) {
            if (b.length < size) b = new float[size];
            return b;
        }

        float[] tile(int size) {
            if (tile.length < size) tile = new float[size];
            return tile;
        }
    }
}
