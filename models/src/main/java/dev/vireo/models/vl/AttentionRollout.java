package dev.vireo.models.vl;

import java.util.List;

/**
 * Attention rollout (Abnar and Zuidema, "Quantifying Attention Flow in Transformers", ACL 2020)
 * over the joint token set of a fusion encoder: the T text tokens followed by the S image tokens.
 * Each attention sub-layer is one step with its head-averaged attention Ā (N × N, N = T + S) made
 * stochastic with the residual, Â = ½(Ā + I), and the rollout is the product R = Â_K ··· Â_2·Â_1
 * (R starts as I). Row t of R says how much of token t's final state flows from each input token;
 * the text→image block R[t][T + j] is the map of image token j for text token t.
 *
 * <p>Adapted to cross-attention by treating it as a sub-layer of a joint attention whose text rows
 * see only the image (the block form in which Chefer et al., ICCV 2021, propagate relevancy through
 * co-attention; they weight the maps by gradients, here they are plain attention as in Abnar and
 * Zuidema). A fusion layer's steps are
 * <ul>
 *   <li>its self-attention: text rows hold Ā_self over the text columns, image rows are I;</li>
 *   <li>its cross-attention: text rows hold Ā_cross over the image columns, image rows are I,
 *       so after Â a text token keeps half of what it held and draws half from the image.</li>
 * </ul>
 * The plain rollout takes the image tokens as the vision encoder left them; the full rollout
 * begins with the encoder's own steps ({@link #imageStep}: image rows hold its attention, text rows
 * are I), so its image columns are the patches as they came in, as in Abnar and Zuidema's rollout
 * of a whole model. Text-only layers below the first fusion layer are left out: they mix text
 * columns only, which leaves the text→image block unchanged. For early fusion every step is the joint
 * attention over all N tokens as it is. Each row of R sums to 1 over all N columns; the map
 * keeps the image part of it.
 */
final class AttentionRollout {
    private AttentionRollout() {}

    /**
     * @param steps head-averaged attention of each step, in the order the layers run, each [N][N],
     *              rows summing to 1
     * @return R [N][N]
     */
    static double[][] rollout(List<double[][]> steps, int n) {
        double[][] r = identity(n);
        for (double[][] a : steps) {
            if (a.length != n) throw new IllegalArgumentException("rollout: a step over " + a.length + " tokens, expected " + n);
            double[][] next = new double[n][n];
            for (int i = 0; i < n; i++) {
                for (int k = 0; k < n; k++) {
                    double w = 0.5 * a[i][k] + (i == k ? 0.5 : 0); // Â = ½(Ā + I)
                    if (w == 0) continue;
                    for (int j = 0; j < n; j++) next[i][j] += w * r[k][j];
                }
            }
            r = next;
        }
        return r;
    }

    /** A self-attention step of a mid-fusion layer: Ā_self [T][T] on the text rows and columns, I on the image rows. */
    static double[][] selfStep(double[][] textAttention, int t, int s) {
        double[][] a = new double[t + s][t + s];
        for (int i = 0; i < t; i++) System.arraycopy(textAttention[i], 0, a[i], 0, t);
        for (int j = t; j < t + s; j++) a[j][j] = 1;
        return a;
    }

    /** A step of the image tower, before any fusion: Ā_image [S][S] on the image rows and columns, I on the text rows. */
    static double[][] imageStep(double[][] imageAttention, int t, int s) {
        double[][] a = new double[t + s][t + s];
        for (int i = 0; i < t; i++) a[i][i] = 1;
        for (int i = 0; i < s; i++) System.arraycopy(imageAttention[i], 0, a[t + i], t, s);
        return a;
    }

    /** A cross-attention step: Ā_cross [T][S] on the text rows and image columns, I on the image rows. */
    static double[][] crossStep(double[][] crossAttention, int t, int s) {
        double[][] a = new double[t + s][t + s];
        for (int i = 0; i < t; i++) System.arraycopy(crossAttention[i], 0, a[i], t, s);
        for (int j = t; j < t + s; j++) a[j][j] = 1;
        return a;
    }

    private static double[][] identity(int n) {
        double[][] r = new double[n][n];
        for (int i = 0; i < n; i++) r[i][i] = 1;
        return r;
    }
}
