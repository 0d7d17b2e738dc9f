package dev.vireo.engine.autograd;

import dev.vireo.engine.parallel.ComputePool;
import dev.vireo.engine.tensor.Node;
import dev.vireo.engine.tensor.Shapes;
import dev.vireo.engine.tensor.Tensor;

/**
 * 2-D convolution (cross-correlation, like torch.nn.functional.conv2d) as im2col + GEMM: every
 * output pixel's input window becomes one row of a (N·Hout·Wout, C·kh·kw) matrix that multiplies
 * the flattened weight's transpose. The patch-embedding case (stride = kernel, no padding) needs no
 * im2col loops: non-overlapping patches are a reshape and a permute of the input.
 */
public final class Convolution {
    private Convolution() {}

    /** Square stride and padding. */
    public static Tensor conv2d(Tensor x, Tensor weight, Tensor bias, int stride, int padding) {
        return conv2d(x, weight, bias, stride, stride, padding, padding);
    }

    /**
     * x (N, C, H, W), weight (O, C, kh, kw), bias (O) or null → (N, O, Hout, Wout) with
     * Hout = (H + 2·padH - kh)/strideH + 1 (floor), likewise Wout. The result is a view whose memory
     * is channels-last (N, Hout, Wout, O), the GEMM's layout; {@code dense()} makes it row-major.
     */
    public static Tensor conv2d(Tensor x, Tensor weight, Tensor bias, int strideH, int strideW, int padH, int padW) {
        int[] xs = x.shape(), ws = weight.shape();
        if (xs.length != 4 || ws.length != 4 || xs[1] != ws[1]) {
            throw new IllegalArgumentException("conv2d: expected input (N, C, H, W) and weight (O, C, kh, kw), got "
                    + Shapes.str(xs) + " and " + Shapes.str(ws));
        }
        if (strideH < 1 || strideW < 1 || padH < 0 || padW < 0) {
            throw new IllegalArgumentException("conv2d: stride (" + strideH + ", " + strideW + ") must be >= 1 and padding ("
                    + padH + ", " + padW + ") >= 0");
        }
        int n = xs[0], c = xs[1], h = xs[2], w = xs[3], o = ws[0], kh = ws[2], kw = ws[3];
        int hOut = Math.floorDiv(h + 2 * padH - kh, strideH) + 1, wOut = Math.floorDiv(w + 2 * padW - kw, strideW) + 1;
        if (hOut < 1 || wOut < 1) {
            throw new IllegalArgumentException("conv2d: kernel " + kh + "x" + kw + " does not fit input " + Shapes.str(xs)
                    + " with padding (" + padH + ", " + padW + ")");
        }
        if (bias != null && (bias.rank() != 1 || bias.size(0) != o)) {
            throw new IllegalArgumentException("conv2d: bias must be (" + o + ",), got " + Shapes.str(bias.shape()));
        }
        boolean patches = strideH == kh && strideW == kw && padH == 0 && padW == 0;
        Tensor rows = patches ? patchRows(x, kh, kw, hOut, wOut) : im2col(x, kh, kw, strideH, strideW, padH, padW, hOut, wOut);
        Tensor flat = weight.reshape(o, c * kh * kw); // (O, K)
        Tensor out = rows.matmul(flat.transpose(0, 1)); // (N·L, O)
        if (bias != null) out = out.add(bias); // (N·L, O)
        return out.reshape(n, hOut, wOut, o).permute(0, 3, 1, 2); // (N, O, Hout, Wout), a view
    }

    /** Non-overlapping patches as rows (N·Hout·Wout, C·kh·kw), by reshape and permute. */
    private static Tensor patchRows(Tensor x, int kh, int kw, int hOut, int wOut) {
        int n = x.size(0), c = x.size(1);
        Tensor cropped = x;
        if (x.size(2) != hOut * kh) cropped = cropped.narrow(2, 0, hOut * kh); // rows the stride never reaches
        if (x.size(3) != wOut * kw) cropped = cropped.narrow(3, 0, wOut * kw);
        return cropped.reshape(n, c, hOut, kh, wOut, kw) // (N, C, Hout, kh, Wout, kw)
                .permute(0, 2, 4, 1, 3, 5) // (N, Hout, Wout, C, kh, kw)
                .reshape(n * hOut * wOut, c * kh * kw); // (N·L, K)
    }

    /** Windows as rows (N·Hout·Wout, C·kh·kw), zeros where a window hangs over the padding. */
    static Tensor im2col(Tensor x, int kh, int kw, int sh, int sw, int ph, int pw, int hOut, int wOut) {
        int[] xs = x.shape();
        int n = xs[0], c = xs[1], h = xs[2], w = xs[3];
        int k = c * kh * kw;
        Tensor xd = x.detach().dense();
        float[] xa = xd.array();
        int xo = xd.offset();
        float[] rows = new float[n * hOut * wOut * k]; // (N·L, K)
        // one task per (image, output row): it writes its own rows of the matrix
        ComputePool.global().forEachChunk(n * hOut, task -> {
            int img = task / hOut, oh = task % hOut;
            for (int ow = 0; ow < wOut; ow++) {
                int dstRow = ((img * hOut + oh) * wOut + ow) * k;
                int iw0 = ow * sw - pw;
                int j0 = Math.max(0, -iw0), j1 = Math.min(kw, w - iw0); // the part of the window inside the image
                for (int ch = 0; ch < c; ch++) {
                    for (int i = 0; i < kh; i++) {
                        int ih = oh * sh - ph + i;
                        if (ih < 0 || ih >= h || j1 <= j0) continue; // padding: stays zero
                        int src = xo + ((img * c + ch) * h + ih) * w + iw0;
                        int dst = dstRow + (ch * kh + i) * kw;
                        System.arraycopy(xa, src + j0, rows, dst + j0, j1 - j0);
                    }
                }
            }
        });
        return Node.record(Tensor.of(rows, n * hOut * wOut, k), "im2col", (g, grads) -> {
            // col2im: each window entry adds back into the pixel it was read from; one task per
            // (image, channel) plane, so overlapping windows never race
            float[] gx = new float[n * c * h * w];
            ComputePool.global().forEachChunk(n * c, plane -> {
                int img = plane / c, ch = plane % c;
                for (int oh = 0; oh < hOut; oh++) {
                    for (int ow = 0; ow < wOut; ow++) {
                        int srcRow = ((img * hOut + oh) * wOut + ow) * k;
                        int iw0 = ow * sw - pw;
                        int j0 = Math.max(0, -iw0), j1 = Math.min(kw, w - iw0);
                        for (int i = 0; i < kh; i++) {
                            int ih = oh * sh - ph + i;
                            if (ih < 0 || ih >= h) continue;
                            int dst = (plane * h + ih) * w + iw0, src = srcRow + (ch * kh + i) * kw;
                            for (int j = j0; j < j1; j++) gx[dst + j] += g[src + j];
                        }
                    }
                }
            });
            grads.accumulateOwned(x, gx);
        }, x);
    }
}
