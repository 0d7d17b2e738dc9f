package dev.vireo.engine.kernel.gemm;

import dev.vireo.engine.kernel.row.ScalarRowKernels;
import dev.vireo.engine.kernel.row.VectorTranspose;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

import java.util.Arrays;

/**
 * Copies blocks of A and B into the panel layouts the micro-kernel streams (Goto and van de Geijn,
 * "Anatomy of High-Performance Matrix Multiplication", 2008). Either operand may be stored
 * transposed, with any row stride and offset, so a transposed view is packed without a copy first.
 * Panels are zero-padded to full tiles: padding rows and columns compute products nobody reads.
 */
final class GemmPacking {
    /** Columns of B packed once that {@link #packBStrips} splits into strip streams together. */
    static final int CHUNK = PackedGemm.NB;

    /** Eight floats: one p step of an 8-row A micro-panel. */
    private static final VectorSpecies<Float> EIGHT = FloatVector.SPECIES_256;
    /** Sixteen floats: half a row of a 512-bit kernel's 32-column B micro-panel. */
    private static final VectorSpecies<Float> SIXTEEN = FloatVector.SPECIES_512;

    private GemmPacking() {}

    /**
     * Packs rows {@code [i0, i0+mc)} and columns {@code [p0, p0+kc)} of op(A) into micro-panels of
     * {@code mr} rows: panel r holds, for each p, the mr values {@code A[i0+r·mr+0..mr-1, p0+p]},
     * at {@code dst[dOff + r·mr·kc + p·mr + row]}. {@code streamed}: A is a batch's rows, read from
     * memory (then eight rows at a time through registers, {@link EightRowTranspose}); else a request's few rows, in cache.
     */
    static void packA(float[] dst, int dOff, float[] a, int aOff, int lda, boolean transA,
                      int i0, int mc, int p0, int kc, int mr, boolean streamed) {
        // A request's rows take the scalar copy: in cache it was 2% slower than a gather (a 50-row
        // product of 3072×768), and it runs at speed in C1 code, where vector code is the Vector API's
        // Java fallback, allocating per step: a cold `vireo embed` of one ViT-B/32 image spent a
        // third of its forward in this method until C2 compiled it
        boolean inRegisters = streamed && !transA && mr == 8;
        for (int ir = 0; ir < mc; ir += mr) {
            int h = Math.min(mr, mc - ir), base = dOff + ir * kc;
            if (inRegisters && h == 8) {
                EightRowTranspose.pack(dst, base, a, aOff + (i0 + ir) * lda + p0, lda, kc);
            } else if (!transA) {
                // rows of A are contiguous: each row is read sequentially and written with stride mr
                // into the small (kc × mr) panel, which stays in L1
                int src = aOff + (i0 + ir) * lda + p0;
                for (int r = 0; r < h; r++) {
                    int s = src + r * lda, d = base + r;
                    for (int p = 0; p < kc; p++) dst[d + p * mr] = a[s + p];
                }
            } else {
                // Aᵀ is stored k×m: the mr values of one p are contiguous, one short copy each
                int src = aOff + p0 * lda + i0 + ir;
                if (h == 8 && mr == 8) {
                    for (int p = 0; p < kc; p++, src += lda) FloatVector.fromArray(EIGHT, a, src).intoArray(dst, base + p * 8);
                } else {
                    for (int p = 0; p < kc; p++, src += lda) System.arraycopy(a, src, dst, base + p * mr, h);
                }
            }
            if (h < mr) {
                for (int p = 0; p < kc; p++) Arrays.fill(dst, base + p * mr + h, base + (p + 1) * mr, 0f);
            }
        }
    }

    /**
     * Packs rows {@code [p0, p0+kc)} and columns {@code [j0, j0+nb)} of op(B) into micro-panels of
     * {@code nr} columns starting at {@code dst[dOff]}: panel q holds, for each p, the nr values
     * {@code B[p0+p, j0+q·nr+0..nr-1]} at {@code dst[dOff + q·nr·kc + p·nr + col]}.
     */
    static void packB(float[] dst, int dOff, float[] b, int bOff, int ldb, boolean transB,
                      int p0, int kc, int j0, int nb, int nr) {
        for (int jr = 0; jr < nb; jr += nr) {
            int w = Math.min(nr, nb - jr);
            packPanel(dst, dOff + jr * kc, nr, b, bOff, ldb, transB, p0, kc, j0 + jr, w, nr == 32 && w == nr);
        }
    }

    /**
     * {@link #packB}'s values in strips of nr/2 columns, for B packed once ({@link PackedGemm#pack}),
     * {@link #CHUNK} columns at a time: a chunk is cut into quads of 2·nr columns, each four strips, and
     * strip s of every quad is stored in the chunk's s-th run of {@link #stripStride} floats
     * ({@code dst[chunk + s·stride + q·(nr/2)·kc + p·(nr/2) + col]}). A quad tile
     * ({@link MicroKernel#quadRows}) thus reads B as four sequential streams, an nr-wide tile
     * ({@link MicroKernel#tileHalves}) as two, which the hardware prefetchers deliver faster than one
     * where the weights come from memory (a request's few rows): measured on 20 rows against 96 MB of
     * packed weights, 8+8+4-row tiles ran 110-119 GFLOP/s on one core with one stream and 125-131 with
     * two; 48 rows against ViT-B/32's 768×3072 weights, 2 threads, 8×32 tiles on two streams 233-243,
     * 6×64 quad tiles on four 275-293. B packed per product stays in L2 and keeps one stream: its
     * products (training) ran 10% slower on two. Tried and not kept: each strip packed over all of k,
     * so a quad's streams run on through its k-blocks instead of jumping at each. A standalone model
     * of the loop ran 5-8% faster, but with a quad's four strips side by side the real products at
     * 50-77 rows (RequestGemmBench, cold weights, interleaved) ran 11-16% slower (77×512×2048) to
     * 5-11% faster (50×3072×768) and whole requests no faster (one image 31.8-37.6 ms against
     * 32.1-37.4, one text slower in 4 of 4 rounds); with strip s of every quad side by side, within
     * 2% either way.
     */
    static void packBStrips(float[] dst, int dOff, float[] b, int bOff, int ldb, boolean transB,
                            int p0, int kc, int j0, int nb, int nr) {
        int strip = nr / 2;
        for (int cs = 0; cs < nb; cs += CHUNK) {
            int quads = quads(Math.min(CHUNK, nb - cs), nr), stride = quads * strip * kc;
            for (int q = 0; q < quads; q++) {
                for (int s = 0; s < 4; s++) {
                    int jr = cs + q * 2 * nr + s * strip, w = Math.max(0, Math.min(strip, nb - jr));
                    packPanel(dst, dOff + cs * kc + s * stride + q * strip * kc, strip, b, bOff, ldb, transB, p0, kc, j0 + jr, w,
                            nr == 32 && w == strip);
                }
            }
        }
    }

    /** Quads of 2·nr columns that hold w columns. */
    static int quads(int w, int nr) {
        return (w + 2 * nr - 1) / (2 * nr);
    }

    /** Floats from one strip stream to the next in the chunk holding panel column {@code pcol} of a k-block of {@code nc} columns ({@link #packBStrips}). */
    static int stripStride(int pcol, int nc, int kc, int nr) {
        int cs = pcol / CHUNK * CHUNK;
        return quads(Math.min(CHUNK, nc - cs), nr) * (nr / 2) * kc;
    }

    /**
     * Offset from its k-block's start of the first strip of the tile at panel column {@code pcol} (a
     * multiple of nr): a quad's first strip when pcol starts a quad, its third when pcol is the quad's
     * second nr columns. The tile's next strip is {@link #stripStride} further.
     */
    static int stripOffset(int pcol, int nc, int kc, int nr) {
        int cs = pcol / CHUNK * CHUNK, local = pcol - cs;
        return cs * kc + local / (2 * nr) * (nr / 2) * kc + local / nr % 2 * 2 * stripStride(pcol, nc, kc, nr);
    }

    /**
     * One micro-panel of {@code ld} columns at {@code dst[base]}: for each p of kc, the w values
     * {@code B[p0+p, j..j+w-1]} at {@code dst[base + p·ld ..]}, zero-padded to ld. {@code vector} (a
     * 512-bit kernel's full panel, w = ld = 32): B's rows are copied and Bᵀ's rows transposed in
     * 512-bit registers.
     */
    private static void packPanel(float[] dst, int base, int ld, float[] b, int bOff, int ldb, boolean transB,
                                  int p0, int kc, int j, int w, boolean vector) {
        if (w == 0) {
            // padding alone (a half-panel past the last column): j may lie past B
        } else if (!transB && vector) {
            // rows of B are contiguous: w/16 512-bit copies per p (System.arraycopy's call per 32
            // values made packing 7% of a training step, in the weight gradients' long-k products)
            for (int p = 0, s = bOff + p0 * ldb + j, d = base; p < kc; p++, s += ldb, d += ld) {
                for (int x = 0; x < w; x += 16) FloatVector.fromArray(SIXTEEN, b, s + x).intoArray(dst, d + x);
            }
        } else if (!transB) {
            // rows of B are contiguous: one copy of w values per p
            for (int p = 0; p < kc; p++) System.arraycopy(b, bOff + (p0 + p) * ldb + j, dst, base + p * ld, w);
        } else {
            // Bᵀ is stored n×k (a PyTorch weight): each column of the panel is one contiguous row of
            // the weight. The scalar copy reads each row sequentially and writes with stride ld into
            // the L1-sized panel (w rows read side by side a value at a time made w strided streams
            // and dominated the GEMM)
            int src = bOff + j * ldb + p0;
            if (vector) {
                // 512 bits: each 16 columns of the panel are 16 rows of the weight read a cache line at a
                // time and transposed in 16×16 register blocks (2-3× the scalar copy)
                for (int x = 0; x < w; x += 16) VectorTranspose.transpose(dst, base + x, ld, b, src + x * ldb, ldb, 16, kc);
            } else {
                ScalarRowKernels.transpose(dst, base, ld, b, src, ldb, w, kc);
            }
        }
        if (w < ld) {
            for (int p = 0; p < kc; p++) Arrays.fill(dst, base + p * ld + w, base + (p + 1) * ld, 0f);
        }
    }
}
