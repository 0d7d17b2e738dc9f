package dev.vireo.engine.kernel.attention;

import dev.vireo.engine.kernel.row.RowKernels;

import java.util.Arrays;

/**
 * Attention of a head whose whole score matrix is one tile (both lengths at most
 * {@link FlashAttentionKernel#SINGLE_TILE}: CLIP's 50 image and 77 text tokens). The forward pass
 * computes each row's softmax exactly and keeps the probabilities P (tq×tk) for the backward pass,
 * as PyTorch's attention does, instead of recomputing them there from the log-sum-exp: one GEMM and
 * one exponential per score fewer, for at most one tile of saved floats per head.
 * K is transposed once per head in the forward pass and V once in the backward pass.
 * Causal heads longer than {@link FlashAttentionKernel#CAUSAL_SPLIT} run in row tiles of
 * {@link FlashAttentionKernel#CAUSAL_TILE} whose products stop at the diagonal.
 */
final class ShortSequenceAttention {
    private ShortSequenceAttention() {}

    /** Whether a head of this shape runs here. */
    static boolean fits(AttentionShape s) {
        return s.tq() <= FlashAttentionKernel.SINGLE_TILE && s.tk() <= FlashAttentionKernel.SINGLE_TILE;
    }

    /** Workspace floats: Kᵀ and (when P is not saved elsewhere) P in the forward pass; Vᵀ, dP and Δ in the backward. */
    static int workspaceSize(AttentionShape s) {
        int tq = s.tq(), tk = s.tk();
        return Math.max(s.d() * tk + tq * tk, s.dv() * tk + rowTile(s) * tk + tq);
    }

    private static int rowTile(AttentionShape s) {
        return s.causal() && s.tq() > FlashAttentionKernel.CAUSAL_SPLIT ? FlashAttentionKernel.CAUSAL_TILE : Math.max(1, s.tq());
    }

    /** Keys visible to the queries of the row tile ending before {@code rowEnd}. */
    private static int visibleKeys(AttentionShape s, int rowEnd) {
        return s.causal() ? Math.min(s.tk(), rowEnd) : s.tk();
    }

    /**
     * O, lse and P (tq×tk at {@code p[pOff..]}, row stride tk; only the columns each row tile can see
     * are written). {@code p} is the saved buffer, or null to keep P in the workspace.
     */
    static void forward(TileKernels tiles, RowKernels rowOps, float[] o, int oOff, int ldo, float[] lse, int lseOff,
                        float[] q, int qOff, int ldq, float[] k, int kOff, int ldk, float[] v, int vOff, int ldv,
                        float[] keep, int keepOff, AttentionShape s, float[] p, int pOff, float[] ws) {
        int tq = s.tq(), tk = s.tk(), d = s.d(), dv = s.dv(), br = rowTile(s);
        int kt = 0; // Kᵀ (d × tk)
        if (p == null) {
            p = ws;
            pOff = d * tk;
        }
        tiles.transpose(ws, kt, tk, k, kOff, ldk, tk, d);
        for (int i0 = 0; i0 < tq; i0 += br) {
            int rows = Math.min(br, tq - i0), cols = visibleKeys(s, i0 + rows), pi = pOff + i0 * tk;
            if (cols > 0) {
                // S = scale·Q_i·Kᵀ (rows × cols), then P = softmax(S) row by row, in place
                tiles.gemm(p, pi, tk, q, qOff + i0 * ldq, ldq, 1, ws, kt, tk, rows, cols, d, s.scale(), false);
                FlashAttentionKernel.mask(p, pi, tk, i0, 0, rows, cols, keep, keepOff, s);
            }
            for (int r = 0; r < rows; r++) {
                int row = pi + r * tk;
                float max = cols == 0 ? Float.NEGATIVE_INFINITY : rowOps.max(p, row, cols);
                if (max == Float.NEGATIVE_INFINITY) { // sees no key: P = 0, and O = 0 below
                    Arrays.fill(p, row, row + cols, 0f);
                    lse[lseOff + i0 + r] = Float.POSITIVE_INFINITY;
                    continue;
                }
                float sum = rowOps.expShift(p, row, p, row, cols, max);
                rowOps.scale(p, row, cols, 1f / sum);
                lse[lseOff + i0 + r] = max + (float) Math.log(sum);
            }
            // O_i = P_i·V (rows × dv)
            if (cols > 0) tiles.gemm(o, oOff + i0 * ldo, ldo, p, pi, tk, 1, v, vOff, ldv, rows, dv, cols, 1f, false);
            for (int r = 0; r < rows; r++) {
                if (lse[lseOff + i0 + r] == Float.POSITIVE_INFINITY) { // 0·V could be NaN where V holds Inf
                    Arrays.fill(o, oOff + (i0 + r) * ldo, oOff + (i0 + r) * ldo + dv, 0f);
                }
            }
        }
    }

    /** Adds dQ, dK, dV from dO, O and the P that {@link #forward} saved at {@code p[pOff..]}. */
    static void backward(TileKernels tiles, RowKernels rowOps, float[] dq, int dqOff, int lddq, float[] dk, int dkOff, int lddk,
                         float[] dv, int dvOff, int lddv, float[] dout, int doOff, int lddo, float[] o, int oOff, int ldo,
                         float[] q, int qOff, int ldq, float[] k, int kOff, int ldk, float[] v, int vOff, int ldv,
                         AttentionShape s, float[] p, int pOff, float[] ws) {
        int tq = s.tq(), tk = s.tk(), d = s.d(), nv = s.dv(), br = rowTile(s);
        int vt = 0, dp = vt + nv * tk, delta = dp + br * tk; // Vᵀ (nv × tk), dP (br × tk), Δ (tq)
        tiles.transpose(ws, vt, tk, v, vOff, ldv, tk, nv);
        tiles.rowDots(ws, delta, dout, doOff, lddo, o, oOff, ldo, tq, nv);
        for (int i0 = 0; i0 < tq; i0 += br) {
            int rows = Math.min(br, tq - i0), cols = visibleKeys(s, i0 + rows), pi = pOff + i0 * tk;
            if (cols == 0) continue;
            int dOut = doOff + i0 * lddo;
            // dV += P_iᵀ·dO_i (cols × nv)
            tiles.gemm(dv, dvOff, lddv, p, pi, 1, tk, dout, dOut, lddo, cols, nv, rows, 1f, true);
            // dP = dO_i·Vᵀ (rows × cols), then dS = scale·P∘(dP - Δ_i) in place
            tiles.gemm(ws, dp, tk, dout, dOut, lddo, 1, ws, vt, tk, rows, cols, nv, 1f, false);
            for (int r = 0; r < rows; r++) {
                rowOps.softmaxGradInPlace(ws, dp + r * tk, p, pi + r * tk, cols, ws[delta + i0 + r], s.scale());
            }
            // dQ_i += dS·K (rows × d); dK += dSᵀ·Q_i (cols × d)
            tiles.gemm(dq, dqOff + i0 * lddq, lddq, ws, dp, tk, 1, k, kOff, ldk, rows, d, cols, 1f, true);
            tiles.gemm(dk, dkOff, lddk, ws, dp, 1, tk, q, qOff + i0 * ldq, ldq, cols, d, rows, 1f, true);
        }
    }
}
