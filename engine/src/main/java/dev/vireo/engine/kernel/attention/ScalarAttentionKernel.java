package dev.vireo.engine.kernel.attention;

/**
 * The reference attention: the whole tq×tk score matrix of one head, a plain softmax, and the
 * textbook backward dS = P∘(dP - rowsum(P∘dP)). Sums in double. It is the specification the tiled
 * {@link FlashAttentionKernel} is tested against, and it holds O(tq·tk) scratch per head.
 */
public final class ScalarAttentionKernel implements AttentionKernel {

    @Override
    public int workspaceSize(AttentionShape s) {
        return 2 * s.tq() * s.tk() + s.tq();
    }

    @Override
    public void forward(float[] o, int oOff, int ldo, float[] lse, int lseOff,
                        float[] q, int qOff, int ldq, float[] k, int kOff, int ldk, float[] v, int vOff, int ldv,
                        float[] keep, int keepOff, float[] saved, int savedOff, AttentionShape s, float[] ws) {
        int tq = s.tq(), tk = s.tk(), dv = s.dv();
        probabilities(ws, q, qOff, ldq, k, kOff, ldk, keep, keepOff, s, lse, lseOff);
        for (int i = 0; i < tq; i++) {
            for (int c = 0; c < dv; c++) {
                double acc = 0;
                for (int j = 0; j < tk; j++) acc += (double) ws[i * tk + j] * v[vOff + j * ldv + c];
                o[oOff + i * ldo + c] = (float) acc;
            }
        }
    }

    @Override
    public void backward(float[] dq, int dqOff, int lddq, float[] dk, int dkOff, int lddk, float[] dv, int dvOff, int lddv,
                         float[] dout, int doOff, int lddo, float[] o, int oOff, int ldo, float[] lse, int lseOff,
                         float[] q, int qOff, int ldq, float[] k, int kOff, int ldk, float[] v, int vOff, int ldv,
                         float[] keep, int keepOff, float[] saved, int savedOff, AttentionShape s, float[] ws) {
        int tq = s.tq(), tk = s.tk(), d = s.d(), nv = s.dv();
        probabilities(ws, q, qOff, ldq, k, kOff, ldk, keep, keepOff, s, ws, 2 * tq * tk);
        int dpOff = tq * tk;
        // dP = dO·Vᵀ; dV += Pᵀ·dO
        for (int i = 0; i < tq; i++) {
            for (int j = 0; j < tk; j++) {
                double acc = 0;
                for (int c = 0; c < nv; c++) acc += (double) dout[doOff + i * lddo + c] * v[vOff + j * ldv + c];
                ws[dpOff + i * tk + j] = (float) acc;
            }
        }
        for (int j = 0; j < tk; j++) {
            for (int c = 0; c < nv; c++) {
                double acc = 0;
                for (int i = 0; i < tq; i++) acc += (double) ws[i * tk + j] * dout[doOff + i * lddo + c];
                dv[dvOff + j * lddv + c] += (float) acc;
            }
        }
        // dS = scale·P∘(dP - Σ_j P∘dP), in place of dP
        for (int i = 0; i < tq; i++) {
            double rowDot = 0;
            for (int j = 0; j < tk; j++) rowDot += (double) ws[i * tk + j] * ws[dpOff + i * tk + j];
            for (int j = 0; j < tk; j++) {
                ws[dpOff + i * tk + j] = (float) (s.scale() * ws[i * tk + j] * (ws[dpOff + i * tk + j] - rowDot));
            }
        }
        // dQ += dS·K; dK += dSᵀ·Q
        for (int i = 0; i < tq; i++) {
            for (int c = 0; c < d; c++) {
                double acc = 0;
                for (int j = 0; j < tk; j++) acc += (double) ws[dpOff + i * tk + j] * k[kOff + j * ldk + c];
                dq[dqOff + i * lddq + c] += (float) acc;
            }
        }
        for (int j = 0; j < tk; j++) {
            for (int c = 0; c < d; c++) {
                double acc = 0;
                for (int i = 0; i < tq; i++) acc += (double) ws[dpOff + i * tk + j] * q[qOff + i * ldq + c];
                dk[dkOff + j * lddk + c] += (float) acc;
            }
        }
    }

    /** ws[i·tk + j] = softmax_j(scale·q_i·k_j) over the visible keys (0 elsewhere); writes lse. */
    public static void probabilities(float[] ws, float[] q, int qOff, int ldq, float[] k, int kOff, int ldk,
                                      float[] keep, int keepOff, AttentionShape s, float[] lse, int lseOff) {
        int tq = s.tq(), tk = s.tk(), d = s.d();
        for (int i = 0; i < tq; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < tk; j++) {
                double acc = 0;
                for (int c = 0; c < d; c++) acc += (double) q[qOff + i * ldq + c] * k[kOff + j * ldk + c];
                float sc = s.allowed(i, j, keep, keepOff) ? (float) (s.scale() * acc) : Float.NEGATIVE_INFINITY;
                ws[i * tk + j] = sc;
                max = Math.max(max, sc);
            }
            if (max == Double.NEGATIVE_INFINITY) { // no visible key: output 0
                for (int j = 0; j < tk; j++) ws[i * tk + j] = 0f;
                lse[lseOff + i] = Float.POSITIVE_INFINITY;
                continue;
            }
            double sum = 0;
            for (int j = 0; j < tk; j++) sum += Math.exp(ws[i * tk + j] - max);
            for (int j = 0; j < tk; j++) ws[i * tk + j] = (float) (Math.exp(ws[i * tk + j] - max) / sum);
            lse[lseOff + i] = (float) (max + Math.log(sum));
        }
    }
}
