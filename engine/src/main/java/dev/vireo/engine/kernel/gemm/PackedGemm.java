package dev.vireo.engine.kernel.gemm;

import dev.vireo.engine.parallel.ComputePool;
import dev.vireo.engine.parallel.UnitShare;
import jdk.incubator.vector.FloatVector;

import java.util.ArrayList;
import java.util.List;

/**
 * GotoBLAS/BLIS-style GEMM with the Vector API (Goto and van de Geijn 2008; Van Zee and van de
 * Geijn, "BLIS", 2015). Loops, outer to inner: column panels of NC, groups of up to KG k-blocks of
 * KC (B packed once per group, in parallel, and shared by all threads), then parallel tasks of MC
 * rows of C (and NB columns when rows are few), each packing its A rows for the whole group into a
 * per-thread buffer and running every k-block of the group on one NB-column chunk of C before the
 * next, so that chunk stays in L2 between k-blocks instead of coming back from L3. Each C element is
 * summed in the same order (k-block by k-block) whoever computes its tile, so the result is
 * bit-identical for any thread count.
 *
 * <p>Tasks are claimed as threads come free, so a core slowed by other work takes fewer of them.
 * Measured with a busy loop pinned to one of 2 cores: 1600×768×768 100-160 GFLOP/s with these tasks,
 * 92-129 when each thread ran one fixed half of C; without the busy loop, 272-290 either way (the
 * two barriers per k-block cost 1-15 µs each with {@link ComputePool}'s caller-runs calls).
 */
public final class PackedGemm implements GemmKernel {
    /** k-block: C is read and written k/KC times; KC = 256 measured best of 192, 256, 320, 384. */
    static final int KC = 256;
    /** Rows of A packed per task (a multiple of every mr, 6 and 8): the MC×KC block stays in L2. */
    static final int MC = 96;
    /** Columns per packing chunk, and per task when there are too few row blocks to share out. */
    static final int NB = 512;
    /** Columns of B packed at once: bounds the shared buffer to KG·KC·NC floats. */
    static final int NC = 4096;
    /**
     * k-blocks per group when one k-block's packed B is too large to stay in L2 from one row block
     * to the next (more than {@link #L2_RESIDENT_B} floats): then B streams from L3 for every task
     * anyway, and a task's A rows for the group (MC·KG·KC floats, 288 KB), one NB chunk of C (192 KB)
     * and a KC×NB chunk of packed B (512 KB) fit in a 2 MB L2 together, so C stays there between
     * k-blocks. 3 is CLIP's widths (768, 512) in one group. Measured, 1 thread: 3200×768×3072
     * 142-145 GFLOP/s grouped vs 137-143 not; 1600×768×768 (B of 768 KB) 151 not grouped, 139 grouped.
     */
    static final int KG = 3;
    /** A k-block's packed B up to this many floats (1 MiB) stays in L2 through all row blocks: no grouping. */
    static final int L2_RESIDENT_B = 1 << 18;
    /** k-blocks from which a GEMM with a small side runs them inside per-thread tasks ({@link #gemmKInside}). */
    static final int K_INSIDE_MIN_BLOCKS = 8;
    /**
     * The largest smaller side (min(m, n)) that {@link #gemmKInside} replicates across threads; with
     * both sides this small, half as many k-blocks already make the barriers cost more than the copy.
     */
    static final int K_INSIDE_MAX_SIDE = 1024;

    /**
     * Where packed B starts in its buffer: 12 floats, so that the micro-kernel's 64-byte loads do not
     * straddle cache lines. G1 places an array of half a region or more (a humongous object) at the
     * start of a region, and a float[]'s data begins 16 bytes after the array (mark word, compressed
     * class pointer, length: HotSpot's default layout), so 16 + 12·4 = 64. Measured on the 8×32 tile
     * over a 16 MB buffer: 158-168 GFLOP/s aligned, 121-147 at the array's own start. Under another
     * layout or collector the loads are just as unaligned as they would be anyway.
     */
    static final int B_BASE = 12;
    /**
     * Products of fewer FLOPs run on the calling thread: 8 MFLOP take ~55 µs on one core, and sharing
     * them out costs a parallel call per k-block phase.
     */
    static final double MIN_SHARED_FLOPS = 8e6;
    /** The pool that small products run on: the calling thread alone. */
    private static final ComputePool CALLER_ONLY = new ComputePool(1);

    /** Packed-B buffers are at least this long (4 MiB), so G1 allocates them as humongous objects for regions up to 8 MiB (heaps to 16 GiB). */
    static final int MIN_B_FLOATS = 1 << 20;

    private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(Buffers::new);

    private final MicroKernel micro;
    private final int mr;
    private final int nr;
    private final int bits;
    private final double minSharedFlops;

    /** At the CPU's preferred vector width. */
    public PackedGemm() {
        this(FloatVector.SPECIES_PREFERRED.vectorBitSize());
    }

    /** At a forced width of 128, 256 or 512 bits (any width runs on any CPU; tests cover all three). */
    public PackedGemm(int bits) {
        this(bits, MIN_SHARED_FLOPS);
    }

    /** With products of at least {@code minSharedFlops} shared out over the threads (tests share every product). */
    PackedGemm(int bits, double minSharedFlops) {
        this.minSharedFlops = minSharedFlops;
        this.micro = MicroKernel.of(bits);
        this.mr = micro.mr();
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
        if (2.0 * m * n * k < minSharedFlops) pool = CALLER_ONLY;
        if (transA && !transB && k > 0 && k <= STRIDED_MAX_K && (long) m * n <= STRIDED_MAX_OUTPUT
                && m % mr == 0 && n % nr == 0) {
            stridedTiles(pool, c, cOff, ldc, a, aOff, lda, b, bOff, ldb, m, n, k, accumulate, epilogue);
            return;
        }
        boolean longK = k >= K_INSIDE_MIN_BLOCKS * KC && Math.min(m, n) <= K_INSIDE_MAX_SIDE;
        boolean smallSquare = k >= K_INSIDE_MIN_BLOCKS / 2 * KC && Math.max(m, n) <= K_INSIDE_MAX_SIDE; // 1024³: 4 short k-blocks
        if (pool.threads() > 1 && (longK || smallSquare)) {
            int mcBlock = rowBlock(m, pool.threads());
            gemmKInside(pool, c, cOff, ldc, a, aOff, lda, transA, b, bOff, ldb, transB, m, n, k, accumulate, epilogue,
                    mcBlock, (m + mcBlock - 1) / mcBlock);
            return;
        }
        sharedB(pool, c, cOff, ldc, a, aOff, lda, transA, b, bOff, ldb, transB, null, m, n, k, accumulate, epilogue);
    }

    /**
     * Weight gradients up to this k and this many outputs read their operands in place
     * ({@link #stridedTiles}). Measured interleaved in one JVM on 2 threads against packing both
     * operands: 64×64 outputs over k = 896/2688 rows 1.5-1.6×, 256×64 over 2688 1.1-1.4×, 64×256
     * over 896 1.3×; past these, where the rows stream from memory for every tile, packing is as
     * fast or faster (64×64 over 12480 1.0-1.15×, 256×256 over 4160 0.94×, 256×1024 over 8320 0.57×).
     */
    static final int STRIDED_MAX_K = 12 * KC;
    static final int STRIDED_MAX_OUTPUT = 256 * 256;

    /**
     * Aᵀ stored k×m and B stored k×n in whole tiles (m a multiple of mr, n of nr): every tile reads
     * its operands where they are ({@link MicroKernel#tileStrided}), k-block by k-block in order.
     * A weight's gradient gᵀ·x over thousands of rows into a 64×64 matrix packed each operand whole
     * for products as long as the copies. Tasks own whole tiles across every k-block, so the bits are
     * those of the packed loops (the same tile sums in the same order) for any thread count.
     */
    private void stridedTiles(ComputePool pool, float[] c, int cOff, int ldc, float[] a, int aOff, int lda,
                              float[] b, int bOff, int ldb, int m, int n, int k, boolean accumulate, Epilogue e) {
        int colPanels = n / nr, tiles = m / mr * colPanels, tasks = Math.min(tiles, 2 * pool.threads());
        pool.forEachChunk(tasks, t -> {
            int first = t * tiles / tasks, end = (t + 1) * tiles / tasks;
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                boolean load = accumulate || pc > 0, last = pc + KC >= k;
                for (int tile = first; tile < end; tile++) {
                    int i = tile / colPanels * mr, j = tile % colPanels * nr, ci = cOff + i * ldc + j;
                    micro.tileStrided(a, aOff + pc * lda + i, lda, b, bOff + pc * ldb + j, ldb, kc, c, ci, ldc, e.alpha(), load);
                    if (last && e.hasFinalStage()) {
                        micro.finishRows(c, ci, ldc, mr, e.bias(), e.biasOff() + j, e.activation(), e.residual(),
                                e.residualOff() + i * e.ldr() + j, e.ldr());
                    }
                }
            }
        });
    }

    /**
     * B packed once, in {@link #gemm}'s blocks but each k-block in strips of nr/2 columns
     * ({@link GemmPacking#packBStrips}), for products with many A (a weight used for inference, one
     * product per request). A product with it gives the bits {@link #gemm} gives with B as it is: the
     * same loops and sums, minus the packing. Measured interleaved in fresh JVMs (steady state, 2
     * threads): a MiniLM sentence at batch 1, 6 of 6 runs faster, median 4.06-4.91 ms against
     * 4.37-5.04 (the tenth percentile 2.86-3.27 against 3.19-3.54); ViT-B/32 at batch 32 unchanged
     * (32.5-35.3 images/s against 32.6-34.4).
     */
    @Override
    public PackedMatrix pack(float[] b, int bOff, int ldb, boolean transB, int n, int k) {
        if (n < 0 || k < 0) throw new IllegalArgumentException("GEMM: negative size n=" + n + " k=" + k);
        GemmKernel.checkMatrix(transB ? "B (transposed, stored n×k)" : "B", b, bOff, transB ? n : k, transB ? k : n, ldb);
        float[][][] packed = new float[(n + NC - 1) / NC][][];
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc), packChunks = (nc + NB - 1) / NB, kg = groupK(nc);
            float[][] groups = new float[Math.max(1, (k + kg - 1) / kg)][];
            for (int pg = 0, gi = 0; pg == 0 || pg < k; pg += kg, gi++) {
                float[] bp = new float[B_BASE + groupFloats(nc, pg, kg, k, true)];
                packGroup(ComputePool.global(), group(bp, jc, nc, pg, kg, k, false, true), packChunks, b, bOff, ldb, transB);
                groups[gi] = bp;
            }
            packed[jc / NC] = groups;
        }
        return new PackedMatrix(this, n, k, packed);
    }

    /** C = epilogue(op(A)·B) with B packed by {@link #pack}; the caller has checked the bounds. */
    void gemm(ComputePool pool, float[] c, int cOff, int ldc, float[] a, int aOff, int lda, boolean transA,
              PackedMatrix b, int m, boolean accumulate, Epilogue epilogue) {
        if (m == 0 || b.n() == 0) return;
        // no packing phase: one parallel call per k-group instead of two, so sharing pays from a quarter of the size
        if (2.0 * m * b.n() * b.k() < minSharedFlops / 4) pool = CALLER_ONLY;
        sharedB(pool, c, cOff, ldc, a, aOff, lda, transA, null, 0, 0, false, b, m, b.n(), b.k(), accumulate, epilogue);
    }

    /**
     * The loop over column panels and groups of k-blocks with B shared by all threads: packed here
     * for each group (in parallel) or, with {@code prepacked}, taken as it is.
     */
    private void sharedB(ComputePool pool, float[] c, int cOff, int ldc, float[] a, int aOff, int lda, boolean transA,
                         float[] b, int bOff, int ldb, boolean transB, PackedMatrix prepacked,
                         int m, int n, int k, boolean accumulate, Epilogue epilogue) {
        int mcBlock = fewRows(m, n, pool.threads()) ? (m + mr - 1) / mr * mr : rowBlock(m, pool.threads());
        int rowBlocks = (m + mcBlock - 1) / mcBlock;
        if (prepacked != null && rowBlocks == 1 && pool.threads() > 1) {
            columnTasks(pool, c, cOff, ldc, a, aOff, lda, transA, prepacked, m, n, k, accumulate, epilogue);
            return;
        }
        Buffers own = BUFFERS.get();
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc), packChunks = (nc + NB - 1) / NB;
            // a task packs its A block once for all its columns; split columns too only when
            // the row blocks alone cannot keep every thread busy (tiles, hence bits, are the same)
            int taskCols = rowBlocks >= 2 * pool.threads() ? nc : columnsPerTask(nc, rowBlocks, pool.threads());
            int colBlocks = (nc + taskCols - 1) / taskCols;
            // k = 0 still runs one empty block, so the epilogue (bias, C_old, ...) is applied
            for (int pg = 0, kg = groupK(nc), gi = 0; pg == 0 || pg < k; pg += kg, gi++) {
                float[] bp = prepacked != null ? prepacked.group(jc / NC, gi) : own.packedB(groupFloats(nc, pg, kg, k, false));
                Block[] group = group(bp, jc, nc, pg, kg, k, accumulate, prepacked != null);
                if (prepacked == null) packGroup(pool, group, packChunks, b, bOff, ldb, transB);
                pool.forEachChunk(rowBlocks * colBlocks, t -> task(group, t / colBlocks, mcBlock, (t % colBlocks) * taskCols,
                        Math.min(taskCols, nc - (t % colBlocks) * taskCols), c, cOff, ldc, a, aOff, lda, transA, m, epilogue));
            }
        }
    }

    /**
     * A request's few rows (one row block) against a prepacked B: one parallel call whose units are
     * quads of C's columns (2·nr; {@link #quadTiles}, or nr-wide tiles where A is packed or the last
     * columns do not fill a quad), each running every k-block on it, in order ({@link ComputePool#forEachUnit}:
     * each thread walks its own run of them, the last few go to whichever thread is free, and a
     * running quad hands half its rows to a thread with none left ({@link #quadUnit}); four
     * fixed column tasks left one thread waiting ~6 µs of a ~75 µs call, and up to 16 in minutes
     * when one of the VM's cores ran slower, while units made a sentence 0-16% faster, measured
     * interleaved in one JVM). The shared loop above makes a
     * parallel call per group of k-blocks, and at 21 rows a call is 25-60 µs of work: the 1536-deep
     * product of a BERT layer's MLP made six calls, each ending in a barrier. A is read where it is
     * stored, since packing it would be work on the calling thread alone (8% of a 71-token sentence),
     * and row tiles compute only their own rows (quad tiles share the rows out evenly). Each
     * element's sum is the shared loop's, so are the bits.
     */
    private void columnTasks(ComputePool pool, float[] c, int cOff, int ldc, float[] a, int aOff, int lda, boolean transA,
                             PackedMatrix b, int m, int n, int k, boolean accumulate, Epilogue epilogue) {
        int mPad = (m + mr - 1) / mr * mr, kBlocks = Math.max(1, (k + KC - 1) / KC);
        // A as the tiles read it: rows where they are stored, with ld = lda, or packed micro-panels (ld = 0)
        float[] rows;
        int rowsOff, rowsLd, aBlock = mPad * KC;
        if (transA) {
            rows = BUFFERS.get().packedA(kBlocks * aBlock);
            for (int kb = 0; kb < kBlocks; kb++) {
                GemmPacking.packA(rows, kb * aBlock, a, aOff, lda, true, 0, m, kb * KC, Math.min(KC, k - kb * KC), mr, false);
            }
            rowsOff = 0;
            rowsLd = 0;
        } else {
            rows = a;
            rowsOff = aOff;
            rowsLd = lda;
        }
        // a unit is one quad of C's columns (2·nr), every k-block on it, in order; each thread walks
        // its own run of quads (each B stream read in order), the tail is shared out one quad at a time,
        // and a quad still running when a thread has none left hands it half its rows (quadUnit)
        int quad = 2 * nr, panels = (n + NC - 1) / NC, unitsPerPanel = (Math.min(NC, n) + quad - 1) / quad; // the last panel may need fewer
        Block[][] blocks = new Block[panels][];
        for (int p = 0; p < panels; p++) blocks[p] = prepackedBlocks(b, p * NC, Math.min(NC, n - p * NC), k, accumulate);
        pool.forEachUnit(panels * unitsPerPanel, (t, share) -> {
            int p = t / unitsPerPanel, nc = Math.min(NC, n - p * NC), j0 = t % unitsPerPanel * quad, w = Math.min(quad, nc - j0);
            if (w <= 0) return;
            Block[] steps = blocks[p];
            if (rowsLd != 0 && w == quad) {
                quadUnit(steps, share, epilogue, rows, rowsOff, rowsLd, m, j0, c, cOff, ldc);
                return;
            }
            Buffers buf = BUFFERS.get();
            for (Block blk : steps) { // A packed, or the last columns: nr-wide tiles, edges through the buffer
                int aBase = rowsLd == 0 ? blk.pc / KC * aBlock : rowsOff + blk.pc;
                panelTiles(blk, epilogue, buf, rows, aBase, rowsLd, m, j0, Math.min(nr, w), c, cOff, ldc);
                if (w > nr) panelTiles(blk, epilogue, buf, rows, aBase, rowsLd, m, j0 + nr, w - nr, c, cOff, ldc);
            }
        });
    }

    /**
     * One quad of C's columns over every k-block, A's rows where they are stored. Between two
     * k-blocks, when a thread of the call has run out of units, the rows left are cut in two and
     * the second half's remaining k-blocks offered to it ({@link UnitShare}): the slower thread's
     * last unit no longer leaves the other waiting for all of it. Each row is summed k-block by
     * k-block as before, whoever runs it, so the bits are the same.
     */
    private void quadUnit(Block[] steps, UnitShare share, Epilogue e, float[] a, int aOff, int lda, int m, int j0,
                          float[] c, int cOff, int ldc) {
        boolean splittable = m >= 2 * micro.qr(); // each half at least one full quad tile
        int rowsEnd = m;
        UnitShare.Handoff half = null;
        for (int s = 0; s < steps.length; s++) {
            if (half == null && splittable && share.idle()) {
                int mid = m / 2, from = s;
                half = share.offer(() -> {
                    for (int r = from; r < steps.length; r++) {
                        quadTiles(steps[r], e, a, aOff + steps[r].pc, lda, mid, m - mid, j0, c, cOff, ldc);
                    }
                });
                rowsEnd = mid;
            }
            quadTiles(steps[s], e, a, aOff + steps[s].pc, lda, 0, rowsEnd, j0, c, cOff, ldc);
        }
        if (half != null) half.join();
    }

    /**
     * One k-block's quad tiles ({@link MicroKernel#quadRows}, qr rows by 2·nr columns) over the m rows
     * from r0 of the quad of columns from panel column j0, A's rows where they are stored. Against ViT-B/32's
     * weights streamed from memory (48 rows, 768×3072, 2 threads) 6×64 tiles ran 275-293 GFLOP/s where
     * 8×32 ones ran 233-243: a k-block's B is four streams instead of two, and one pass over it from
     * memory serves qr rows while the other row tiles read it from L2. The same sums, hence the same bits.
     */
    private void quadTiles(Block blk, Epilogue e, float[] a, int aBase, int lda, int r0, int m, int j0, float[] c, int cOff, int ldc) {
        int col = blk.jc + j0, tiles = (m + micro.qr() - 1) / micro.qr();
        int bi = blk.bBase + GemmPacking.stripOffset(j0, blk.nc, blk.kc, nr), stride = GemmPacking.stripStride(j0, blk.nc, blk.kc, nr);
        // rows shared out evenly over the tiles (50 rows at qr 6: 5 tiles of 6 and 4 of 5, not 8 of 6
        // and one of 2, whose 8 accumulators wait on the FMA latency)
        for (int t = 0, ir = 0; t < tiles; t++) {
            int h = (m - ir + tiles - t - 1) / (tiles - t), row = r0 + ir, ci = cOff + row * ldc + col;
            micro.quadRows(h, a, aBase + row * lda, lda, blk.bp, bi, stride, blk.kc, c, ci, ldc, e.alpha(), blk.load);
            if (blk.last && e.hasFinalStage()) {
                micro.finishRows(c, ci, ldc, h, 2 * nr, e.bias(), e.biasOff() + col, e.activation(), e.residual(),
                        e.residualOff() + row * e.ldr() + col, e.ldr());
            }
            ir += h;
        }
    }

    /**
     * One k-block's tiles over all m rows of the micro-panel of w (at most nr) columns from panel
     * column j0: the micro-panel of B (KC×nr, 32 KB at 512 bits) comes from memory once and serves
     * every row from L1 (the BLIS order). At a request's few rows the weights stream from memory
     * (ViT-B/32's 340 MB do not stay in any cache from one image to the next), and row by row of tiles
     * (as {@link #blockTiles} walks them) read each panel from memory during the first row's tiles
     * alone, then from L2: measured interleaved in one JVM, one image 39.4 ms instead of 42.2, one
     * 77-token text 24.4 instead of 25.9. Where A's block is packed
     * and B comes from the shared packing, as in {@link #task}, the row order stays faster (batch 32:
     * 34.4 images/s against 33.0). The same tiles, hence the same bits.
     */
    private void panelTiles(Block blk, Epilogue e, Buffers buf, float[] a, int aBase, int lda, int m, int j0, int w,
                            float[] c, int cOff, int ldc) {
        for (int ir = 0; ir < m; ir += mr) {
            int ai = aBase + (lda == 0 ? ir * blk.kc : ir * lda);
            tile(blk, e, buf, a, ai, lda, Math.min(mr, m - ir), ir, j0, w, c, cOff, ldc);
        }
    }

    /** Packs B for every k-block of a group, NB columns per chunk, in parallel on {@code pool}. */
    private void packGroup(ComputePool pool, Block[] group, int packChunks, float[] b, int bOff, int ldb, boolean transB) {
        pool.forEachChunk(group.length * packChunks, i -> {
            Block blk = group[i / packChunks];
            int cb = i % packChunks;
            int dOff = blk.bBase + cb * NB * blk.kc, j0 = blk.jc + cb * NB, nb = Math.min(NB, blk.nc - cb * NB);
            if (blk.strips) GemmPacking.packBStrips(blk.bp, dOff, b, bOff, ldb, transB, blk.pc, blk.kc, j0, nb, nr);
            else GemmPacking.packB(blk.bp, dOff, b, bOff, ldb, transB, blk.pc, blk.kc, j0, nb, nr);
        });
    }

    /**
     * A long k against a small side (a weight's gradient gᵀ·x sums over thousands of rows into a
     * 256×256 matrix): one task per thread, each running every k-block itself with its own packed B,
     * so there is no barrier per k-block (33 of them, each around 0.15 ms of work, for 256×8320×256).
     * Tasks split the larger of m and n and each packs its share of that operand plus all of the
     * smaller one, so only the smaller is packed more than once. Each C element still sums its
     * k-blocks in order, so the bits are those of the shared-B loop above.
     */
    private void gemmKInside(ComputePool pool, float[] c, int cOff, int ldc, float[] a, int aOff, int lda, boolean transA,
                             float[] b, int bOff, int ldb, boolean transB, int m, int n, int k, boolean accumulate,
                             Epilogue epilogue, int mcBlock, int rowBlocks) {
        int threads = pool.threads();
        boolean splitRows = m >= n;
        int panels = (n + nr - 1) / nr;
        int tasks = splitRows ? Math.min(threads, rowBlocks) : Math.min(threads, panels);
        pool.forEachChunk(tasks, t -> {
            int rb0 = splitRows ? t * rowBlocks / tasks : 0, rb1 = splitRows ? (t + 1) * rowBlocks / tasks : rowBlocks;
            int c0 = splitRows ? 0 : t * panels / tasks * nr, c1 = splitRows ? n : Math.min(n, (t + 1) * panels / tasks * nr);
            Buffers own = BUFFERS.get();
            for (int jc = c0; jc < c1; jc += NC) {
                int nc = Math.min(NC, c1 - jc);
                for (int pg = 0, kg = groupK(nc); pg < k; pg += kg) {
                    Block[] group = group(own.packedB(groupFloats(nc, pg, kg, k, false)), jc, nc, pg, kg, k, accumulate, false);
                    for (Block blk : group) {
                        GemmPacking.packB(blk.bp, blk.bBase, b, bOff, ldb, transB, blk.pc, blk.kc, blk.jc, blk.nc, nr);
                    }
                    for (int ib = rb0; ib < rb1; ib++) {
                        task(group, ib, mcBlock, 0, nc, c, cOff, ldc, a, aOff, lda, transA, m, epilogue);
                    }
                }
            }
        });
    }

    /**
     * One k-block of one column panel: its packed B (in {@code bp} from {@code bBase}; in strip
     * streams when {@code strips}, as B packed once is) and what the tiles do at the end (load C_old
     * first, apply the epilogue after).
     */
    private record Block(int jc, int nc, int pc, int kc, boolean load, boolean last, float[] bp, int bBase, boolean strips) {}

    /**
     * Whether the rows fit one block and the columns alone can be shared out (two tasks per thread of
     * at least one micro-panel each): then every task takes all rows and an equal share of the
     * columns. A request's 21 rows split as 16 and 5 rows gave one thread twice the other's work.
     */
    private boolean fewRows(int m, int n, int threads) {
        return threads > 1 && m <= MC && n >= 2 * threads * nr;
    }

    /**
     * Columns per task when the row blocks alone cannot keep every thread busy: NB, or fewer (whole
     * micro-panels) so that there are at least two tasks per thread. A request's 21 rows are two row
     * blocks of 16 and 5; against a 384-column weight, NB-wide tasks left one thread idle or with a
     * third of the work. Which thread computes a tile changes none of its bits.
     */
    private int columnsPerTask(int nc, int rowBlocks, int threads) {
        int wanted = Math.max(1, (2 * threads + rowBlocks - 1) / rowBlocks);
        int cols = (nc + wanted - 1) / wanted;
        return Math.min(NB, Math.max(nr, (cols + nr - 1) / nr * nr));
    }

    /** The k of a group of k-blocks over nc columns: KC, or KG·KC when one block's packed B would not stay in L2. */
    private int groupK(int nc) {
        return (long) KC * padded(nc) <= L2_RESIDENT_B ? KC : KG * KC;
    }

    /** nc rounded up to whole micro-panels of nr columns: the width of packed B. */
    private int padded(int nc) {
        return (nc + nr - 1) / nr * nr;
    }

    /**
     * The width of packed B over nc columns: whole micro-panels of nr, or whole quads of 2·nr when B is
     * packed once in strips ({@link GemmPacking#packBStrips}).
     */
    private int packedWidth(int nc, boolean strips) {
        return strips ? GemmPacking.quads(nc, nr) * 2 * nr : padded(nc);
    }

    /** Floats (after B_BASE) of the packed k-blocks in [pg, pg+kg) of nc columns: whole blocks of KC·ncPad. */
    private int groupFloats(int nc, int pg, int kg, int k, boolean strips) {
        int blocks = Math.max(1, (Math.min(kg, k - pg) + KC - 1) / KC);
        return Math.max(1, blocks * KC * packedWidth(nc, strips));
    }

    /** Every k-block of prepacked B's columns [jc, jc+nc), in order: its groups' blocks one after the other. */
    private Block[] prepackedBlocks(PackedMatrix b, int jc, int nc, int k, boolean accumulate) {
        List<Block> blocks = new ArrayList<>();
        for (int pg = 0, kg = groupK(nc), gi = 0; pg == 0 || pg < k; pg += kg, gi++) {
            blocks.addAll(List.of(group(b.group(jc / NC, gi), jc, nc, pg, kg, k, accumulate, true)));
        }
        return blocks.toArray(Block[]::new);
    }

    /**
     * The k-blocks in [pg, pg+kg) (at least one) of the nc columns from jc, packed one after the other
     * into {@code bp}: block g's panels start at B_BASE + g·KC·ncPad, a multiple of 64 bytes from B_BASE.
     */
    private Block[] group(float[] bp, int jc, int nc, int pg, int kg, int k, boolean accumulate, boolean strips) {
        int blocks = Math.max(1, (Math.min(kg, k - pg) + KC - 1) / KC), ncPad = packedWidth(nc, strips);
        Block[] group = new Block[blocks];
        for (int g = 0; g < blocks; g++) {
            int pc = pg + g * KC;
            group[g] = new Block(jc, nc, pc, Math.min(KC, k - pc), accumulate || pc > 0, pc + KC >= k, bp, B_BASE + g * KC * ncPad, strips);
        }
        return group;
    }

    /**
     * Rows per task: at most MC, a multiple of mr, chosen so the blocks share out over the threads as
     * evenly as whole micro-panels allow (1024 rows on 2 threads are 12 blocks of 88, not 10 of 96 and
     * one of 64, which left a thread idle for a sixth of every k-block; 1600 rows are 20 blocks of 80).
     * Each C element's sum runs in the same order whatever the block, so the thread count still
     * changes no bit.
     */
    int rowBlock(int m, int threads) {
        int panels = (m + mr - 1) / mr, maxPanels = MC / mr;
        int minBlocks = (panels + maxPanels - 1) / maxPanels;
        if (threads <= 1 || panels < threads) return Math.min(MC, panels * mr);
        int best = maxPanels;
        long bestSpan = Long.MAX_VALUE;
        for (int blocks = minBlocks; blocks <= minBlocks + 4 * threads; blocks++) {
            int per = (panels + blocks - 1) / blocks;           // micro-panels per block
            int used = (panels + per - 1) / per;                // blocks that exist at that size
            long span = (long) ((used + threads - 1) / threads) * per; // panels the busiest thread computes
            if (span * 20 < bestSpan * 19) { // smaller blocks stream B more often: only for a gain of 5% or more
                bestSpan = span;
                best = per;
            }
        }
        return best * mr;
    }

    /**
     * Rows [ib·mcBlock, +mcBlock) × columns [j0, j0+nb) of the panel, for every k-block of the group:
     * pack A for the group (unless k is one k-block of rows stored contiguous: then the tiles read
     * them in place), then for each NB chunk of the columns, every k-block's tiles in order. A stored
     * transposed (a weight gradient's gᵀ, k×m) is already a micro-panel with stride lda, but reading it
     * there ({@link MicroKernel#tileStrided} against packed B) instead of packing it was tried and not
     * kept: m×k×n 768×8320×256, 1024×8320×256 and 256×8320×256 took 0.93-0.97× the time, 256×8320×1024,
     * 512×4096×512 and 2048×4096×512 1.06-1.14× (one interleaved run of 40 each, 2 threads, same
     * bits), about 1.5% of a training step either way.
     */
    private void task(Block[] group, int ib, int mcBlock, int j0, int nb, float[] c, int cOff, int ldc,
                      float[] a, int aOff, int lda, boolean transA, int m, Epilogue e) {
        int i0 = ib * mcBlock, mc = Math.min(mcBlock, m - i0), aBlock = (mc + mr - 1) / mr * mr * KC;
        Buffers buf = BUFFERS.get();
        if (!transA && group.length == 1 && group[0].pc == 0 && group[0].last) {
            // k ≤ KC, A's rows stored contiguous: the tiles read them where they are (tileRows, the
            // same bits). Packing was up to 40% of a width-64 product: measured interleaved in one JVM
            // (2 threads), 12480×64×64 1.4-1.8×, 2688×256×64 1.4×, 8320×256×256 1.2×, 8320×256×1024
            // 1.07×; past one k-block packing pays again (3200×768×3072 0.92× unpacked)
            for (int jb = 0; jb < nb; jb += NB) {
                blockTiles(group[0], e, buf, a, aOff + i0 * lda, lda, i0, mc, j0 + jb, Math.min(NB, nb - jb), c, cOff, ldc);
            }
            return;
        }
        float[] ap = buf.packedA(Math.max(1, group.length * aBlock));
        for (int g = 0; g < group.length; g++) {
            GemmPacking.packA(ap, g * aBlock, a, aOff, lda, transA, i0, mc, group[g].pc, group[g].kc, mr, m > mcBlock);
        }
        for (int jb = 0; jb < nb; jb += NB) {
            int jEnd = Math.min(nb, jb + NB);
            // this chunk of C (mc × NB) stays in L2 through the group's k-blocks, and a KC×NB chunk of
            // packed B stays there through one's tiles
            for (int g = 0; g < group.length; g++) {
                blockTiles(group[g], e, buf, ap, g * aBlock, 0, i0, mc, j0 + jb, jEnd - jb, c, cOff, ldc);
            }
        }
    }

    /**
     * One k-block's tiles over rows [i0, i0+mc) × panel columns [j0, j0+nb): A's rows from {@code aBase}
     * as packed micro-panels ({@code lda} 0) or where they are stored, row r at {@code aBase + r·lda}.
     * Row by row of micro-panels, so A's stay in L1 while the tiles walk right along C's rows (which
     * the hardware prefetcher follows).
     */
    private void blockTiles(Block blk, Epilogue e, Buffers buf, float[] a, int aBase, int lda, int i0, int mc, int j0, int nb,
                            float[] c, int cOff, int ldc) {
        for (int ir = 0; ir < mc; ir += mr) {
            int ai = aBase + (lda == 0 ? ir * blk.kc : ir * lda);
            for (int jr = 0; jr < nb; jr += nr) {
                tile(blk, e, buf, a, ai, lda, Math.min(mr, mc - ir), i0 + ir, j0 + jr, Math.min(nr, nb - jr), c, cOff, ldc);
            }
        }
    }

    /**
     * One h×w tile at C[row.., col..] (panel-relative column pcol), A packed ({@code lda} 0) or as
     * stored (full mr rows, zero-padded past h): full tiles in vector code, edges via a buffer.
     */
    private void tile(Block blk, Epilogue e, Buffers buf, float[] a, int ai, int lda, int h, int row, int pcol, int w,
                      float[] c, int cOff, int ldc) {
        int col = blk.jc + pcol, ci = cOff + row * ldc + col;
        if ((h == mr || lda != 0) && w == nr) {
            // vector body: a full tile (A as stored: its h rows, at full width) straight into C
            product(blk, pcol, a, ai, lda, h, c, ci, ldc, e.alpha(), blk.load);
            if (blk.last && e.hasFinalStage()) {
                micro.finishRows(c, ci, ldc, h, e.bias(), e.biasOff() + col, e.activation(), e.residual(),
                        e.residualOff() + row * e.ldr() + col, e.ldr());
            }
            return;
        }
        // edge tile: full tile into a buffer, the h×w part into C with alpha, C_old and bias, then
        // the activation and residual by the same vector loops as full tiles (an erf per element in
        // scalar code was a sixth of a 21-token sentence's time)
        float[] t = buf.tile(mr * nr);
        product(blk, pcol, a, ai, lda, h, t, 0, nr, 1f, false);
        float[] bias = blk.last ? e.bias() : null;
        for (int r = 0; r < h; r++) {
            for (int x = 0; x < w; x++) {
                int idx = ci + r * ldc + x;
                float v = e.alpha() * t[r * nr + x] + (blk.load ? c[idx] : 0f);
                c[idx] = bias != null ? v + bias[e.biasOff() + col + x] : v;
            }
        }
        if (blk.last && (e.activation() != null || e.residual() != null)) {
            micro.finishRows(c, ci, ldc, h, w, null, 0, e.activation(), e.residual(), e.residualOff() + row * e.ldr() + col, e.ldr());
        }
    }

    /**
     * The micro-kernel for one tile of the block at panel column pcol: A packed ({@code lda} 0) or its
     * h rows as stored, B in the block's layout.
     */
    private void product(Block blk, int pcol, float[] a, int ai, int lda, int h, float[] c, int ci, int ldc,
                         float alpha, boolean load) {
        if (blk.strips) {
            int bi = blk.bBase + GemmPacking.stripOffset(pcol, blk.nc, blk.kc, nr), bj = bi + GemmPacking.stripStride(pcol, blk.nc, blk.kc, nr);
            if (lda == 0) micro.tileHalves(a, ai, blk.bp, bi, bj, blk.kc, c, ci, ldc, alpha, load);
            else micro.tileHalvesRows(h, a, ai, lda, blk.bp, bi, bj, blk.kc, c, ci, ldc, alpha, load);
        } else {
            int bi = blk.bBase + pcol * blk.kc;
            if (lda == 0) micro.tile(a, ai, blk.bp, bi, blk.kc, c, ci, ldc, alpha, load);
            else micro.tileRows(h, a, ai, lda, blk.bp, bi, blk.kc, c, ci, ldc, alpha, load);
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

        /** Room for {@code size} floats from {@link #B_BASE}. */
        float[] packedB(int size) {
            if (b.length < B_BASE + size) b = new float[Math.max(B_BASE + size, MIN_B_FLOATS)];
            return b;
        }

        float[] tile(int size) {
            if (tile.length < size) tile = new float[size];
            return tile;
        }
    }
}
