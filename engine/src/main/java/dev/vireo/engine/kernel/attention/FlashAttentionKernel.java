package dev.vireo.engine.kernel.attention;

import dev.vireo.engine.kernel.row.RowKernels;

import java.util.Arrays;

/**
 * Tiled attention with an online softmax (FlashAttention, Dao et al. 2022): scores exist one
 * query tile × key tile at a time, so scratch does not grow with tq·tk. The backward pass
 * recomputes each tile's probabilities from the saved log-sum-exp (FlashAttention-2, Dao 2023),
 * with Δ_i = dO_i·O_i in place of the row sums of P∘dP. Every product runs on {@link TileKernels#gemm}.
 * Heads that fit one tile run {@link ShortSequenceAttention} instead, which saves the probabilities.
 */
public final class FlashAttentionKernel implements AttentionKernel {
    /** Query and key tile length; sequences up to {@link #SINGLE_TILE} long use one tile. */
    static final int TILE = 64;
    static final int SINGLE_TILE = 96;

    private final TileKernels tiles;
    private final RowKernels rowOps;

    public FlashAttentionKernel(TileKernels tiles, RowKernels rowOps) {
        this.tiles = tiles;
        this.rowOps = rowOps;
    }

    /** Tiles of a causal sequence longer than this are CAUSAL_TILE long, so whole tiles above the diagonal are skipped. */
    static final int CAUSAL_SPLIT = 48;
    static final int CAUSAL_TILE = 32;

    static int tile(int t, boolean causal) {
        return causal && t > CAUSAL_SPLIT ? CAUSAL_TILE : tile(t);
    }

    static int tile(int t) {
        return t <= SINGLE_TILE ? Math.max(t, 1) : TILE;
    }

    @Override
    public int workspaceSize(AttentionShape s) {
        if (ShortSequenceAttention.fits(s)) return ShortSequenceAttention.workspaceSize(s);
        int br = tile(s.tq(), s.causal()), bc = tile(s.tk(), s.causal());
        // Kᵀ and Vᵀ tiles, scores and dP tiles, row max and sum, Δ per query
        return (s.d() + s.dv()) * bc + 2 * br * bc + 2 * br + s.tq();
    }

    @Override
    public int savedSize(AttentionShape s) {
        return ShortSequenceAttention.fits(s) ? s.tq() * s.tk() : 0;
    }

    @Override
    public void forward(float[] o, int oOff, int ldo, float[] lse, int lseOff,
                        float[] q, int qOff, int ldq, float[] k, int kOff, int ldk, float[] v, int vOff, int ldv,
                        float[] keep, int keepOff, float[] saved, int savedOff, AttentionShape s, float[] ws) {
        if (ShortSequenceAttention.fits(s)) {
            ShortSequenceAttention.forward(tiles, rowOps, o, oOff, ldo, lse, lseOff, q, qOff, ldq, k, kOff, ldk, v, vOff, ldv,
                    keep, keepOff, s, saved, savedOff, ws);
            return;
        }
        int tq = s.tq(), tk = s.tk(), d = s.d(), dv = s.dv();
        int br = tile(tq, s.causal()), bc = tile(tk, s.causal());
        int kt = 0, sc = kt + d * bc, mOff = sc + br * bc, lOff = mOff + br;
        for (int i0 = 0; i0 < tq; i0 += br) {
            int rows = Math.min(br, tq - i0);
            Arrays.fill(ws, mOff, mOff + rows, Float.NEGATIVE_INFINITY);
            Arrays.fill(ws, lOff, lOff + rows, 0f);
            for (int r = 0; r < rows; r++) Arrays.fill(o, oOff + (i0 + r) * ldo, oOff + (i0 + r) * ldo + dv, 0f);
            int kEnd = s.causal() ? Math.min(tk, i0 + rows) : tk;
            for (int j0 = 0; j0 < kEnd; j0 += bc) {
                int cols = Math.min(bc, kEnd - j0);
                tiles.transpose(ws, kt, bc, k, kOff + j0 * ldk, ldk, cols, d);
                // S = scale·Q_i·K_jᵀ (rows × cols)
                tiles.gemm(ws, sc, bc, q, qOff + i0 * ldq, ldq, 1, ws, kt, bc, rows, cols, d, s.scale(), false);
                mask(ws, sc, bc, i0, j0, rows, cols, keep, keepOff, s);
                for (int r = 0; r < rows; r++) {
                    int row = sc + r * bc;
                    float mOld = ws[mOff + r];
                    float mNew = Math.max(mOld, rowOps.max(ws, row, cols));
                    if (mNew == Float.NEGATIVE_INFINITY) { // nothing visible yet: this tile adds nothing
                        Arrays.fill(ws, row, row + cols, 0f);
                        continue;
                    }
                    float sum = rowOps.expShift(ws, row, ws, row, cols, mNew); // P = exp(S - m)
                    float alpha = (float) Math.exp(mOld - mNew);
                    if (alpha != 1f) rowOps.scale(o, oOff + (i0 + r) * ldo, dv, alpha);
                    ws[lOff + r] = ws[lOff + r] * alpha + sum;
                    ws[mOff + r] = mNew;
                }
                // O_i += P·V_j
                tiles.gemm(o, oOff + i0 * ldo, ldo, ws, sc, bc, 1, v, vOff + j0 * ldv, ldv, rows, dv, cols, 1f, true);
            }
            for (int r = 0; r < rows; r++) {
                float l = ws[lOff + r];
                int oRow = oOff + (i0 + r) * ldo;
                if (l == 0f) {
                    Arrays.fill(o, oRow, oRow + dv, 0f);
                    lse[lseOff + i0 + r] = Float.POSITIVE_INFINITY;
                } else {
                    rowOps.scale(o, oRow, dv, 1f / l);
                    lse[lseOff + i0 + r] = ws[mOff + r] + (float) Math.log(l);
                }
            }
        }
    }

    @Override
    public void backward(float[] dq, int dqOff, int lddq, float[] dk, int dkOff, int lddk, float[] dv, int dvOff, int lddv,
                         float[] dout, int doOff, int lddo, float[] o, int oOff, int ldo, float[] lse, int lseOff,
                         float[] q, int qOff, int ldq, float[] k, int kOff, int ldk, float[] v, int vOff, int ldv,
                         float[] keep, int keepOff, float[] saved, int savedOff, AttentionShape s, float[] ws) {
        if (saved != null && ShortSequenceAttention.fits(s)) {
            ShortSequenceAttention.backward(tiles, rowOps, dq, dqOff, lddq, dk, dkOff, lddk, dv, dvOff, lddv, dout, doOff, lddo, o, oOff, ldo,
                    q, qOff, ldq, k, kOff, ldk, v, vOff, ldv, s, saved, savedOff, ws);
            return;
        }
        int tq = s.tq(), tk = s.tk(), d = s.d(), nv = s.dv();
        int br = tile(tq, s.causal()), bc = tile(tk, s.causal());
        int kt = 0, vt = kt + d * bc, sc = vt + nv * bc, dp = sc + br * bc, delta = dp + br * bc + 2 * br;
        tiles.rowDots(ws, delta, dout, doOff, lddo, o, oOff, ldo, tq, nv);
        for (int j0 = 0; j0 < tk; j0 += bc) {
            int cols = Math.min(bc, tk - j0);
            tiles.transpose(ws, kt, bc, k, kOff + j0 * ldk, ldk, cols, d);
            tiles.transpose(ws, vt, bc, v, vOff + j0 * ldv, ldv, cols, nv);
            int iStart = s.causal() ? Math.min(j0, tq) : 0; // earlier queries see none of these keys
            for (int i0 = iStart; i0 < tq; i0 += br) {
                int rows = Math.min(br, tq - i0);
                // P = exp(scale·Q_i·K_jᵀ - lse_i), recomputed
                tiles.gemm(ws, sc, bc, q, qOff + i0 * ldq, ldq, 1, ws, kt, bc, rows, cols, d, s.scale(), false);
                mask(ws, sc, bc, i0, j0, rows, cols, keep, keepOff, s);
                for (int r = 0; r < rows; r++) rowOps.expShift(ws, sc + r * bc, ws, sc + r * bc, cols, lse[lseOff + i0 + r]);
                // dV_j += Pᵀ·dO_i
                tiles.gemm(dv, dvOff + j0 * lddv, lddv, ws, sc, 1, bc, dout, doOff + i0 * lddo, lddo, cols, nv, rows, 1f, true);
                // dP = dO_i·V_jᵀ, then dS = scale·P∘(dP - Δ_i) in place
                tiles.gemm(ws, dp, bc, dout, doOff + i0 * lddo, lddo, 1, ws, vt, bc, rows, cols, nv, 1f, false);
                for (int r = 0; r < rows; r++) {
                    rowOps.softmaxGradInPlace(ws, dp + r * bc, ws, sc + r * bc, cols, ws[delta + i0 + r], s.scale());
                }
                // dQ_i += dS·K_j; dK_j += dSᵀ·Q_i
                tiles.gemm(dq, dqOff + i0 * lddq, lddq, ws, dp, bc, 1, k, kOff + j0 * ldk, ldk, rows, d, cols, 1f, true);
                tiles.gemm(dk, dkOff + j0 * lddk, lddk, ws, dp, 1, bc, q, qOff + i0 * ldq, ldq, cols, d, rows, 1f, true);
            }
        }
    }

    /** Sets hidden scores of the tile to -∞ (padding mask, and the causal diagonal). */
    static void mask(float[] ws, int sc, int bc, int i0, int j0, int rows, int cols,
                             float[] keep, int keepOff, AttentionShape s) {
        if (keep != null) {
            for (int j = 0; j < cols; j++) {
                if (keep[keepOff + j0 + j] != 0f) continue;
                for (int r = 0; r < rows; r++) ws[sc + r * bc + j] = Float.NEGATIVE_INFINITY;
            }
        }
        if (s.causal() && j0 + cols - 1 > i0) {
            for (int r = 0; r < rows; r++) {
                int first = Math.max(0, i0 + r + 1 - j0); // first hidden column of this row
                if (first < cols) Arrays.fill(ws, sc + r * bc + first, sc + r * bc + cols, Float.NEGATIVE_INFINITY);
            }
        }
    }
}
