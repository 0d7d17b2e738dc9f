package dev.vireo.engine.autograd;

import dev.vireo.engine.parallel.ComputePool;
import dev.vireo.engine.tensor.Node;
import dev.vireo.engine.tensor.Shapes;
import dev.vireo.engine.tensor.Tensor;

/**
 * 2-D convolution (cross-correlation, like torch.nn.functional.conv2d) as im2col + GEMM: the
 * input's patches become the columns of a (N, C·kh·kw, Hout·Wout) matrix that the flattened
 * weight (O, C·kh·kw) multiplies. The patch-embedding case (stride = kernel, no padding) needs no
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
     * Hout = (H + 2·padH - kh)/strideH + 1 (floor), likewise Wout.
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
        Tensor cols = patches ? patchColumns(x, kh, kw, hOut, wOut) : im2col(x, kh, kw, strideH, strideW, padH, padW, hOut, wOut);
        Tensor flat = weight.reshape(o, c * kh * kw); // (O, K)
        Tensor out = flat.matmul(cols); // (N, O, L)
        if (bias != null) out = out.add(bias.reshape(o, 1)); // (N, O, L)
        return out.reshape(n, o, hOut, wOut); // (N, O, Hout, Wout)
    }

    /** Non-overlapping patches as columns (N, C·kh·kw, Hout·Wout), by reshape and permute. */
    private static Tensor patchColumns(Tensor x, int kh, int kw, int hOut, int wOut) {
        int n = x.size(0), c = x.size(1);
        Tensor cropped = x;
        if (x.size(2) != hOut * kh) cropped = cropped.narrow(2, 0, hOut * kh); // rows the stride never reaches
        if (x.size(3) != wOut * kw) cropped = cropped.narrow(3, 0, wOut * kw);
        return cropped.reshape(n, c, hOut, kh, wOut, kw) // (N, C, Hout, kh, Wout, kw)
                .permute(0, 1, 3, 5, 2, 4) // (N, C, kh, kw, Hout, Wout)
                .reshape(n, c * kh * kw, hOut * wOut); // (N, K, L)
    }

    /** Patches as columns (N, C·kh·kw, Hout·Wout), zeros where the window hangs over the padding. */
    static Tensor im2col(Tensor x, int kh, int kw, int sh, int sw, int ph, int pw, int hOut, int wOut) {
        int[] xs = x.shape();
        int n = xs[0], c = xs[1], h = xs[2], w = xs[3];
        int l = hOut * wOut, k = c * kh * kw;
        Tensor xd = x.detach().dense();
        float[] xa = xd.array();
        int xo = xd.offset();
        float[] cols = new float[n * k * l]; // (N, K, L)
        // one task per (image, channel): its columns rows and its input plane are its own
        ComputePool.global().forEachChunk(n * c, plane -> {
            int src = xo + plane * h * w;
            int dstPlane = plane * kh * kw * l; // (plane / c)·K·L + (plane % c)·kh·kw·L
            for (int i = 0; i < kh; i++) {
                for (int j = 0; j < kw; j++) {
                    int dst = dstPlane + (i * kw + j) * l;
                    for (int oh = 0; oh < hOut; oh++) {
                        int ih = oh * sh - ph + i;
                        if (ih < 0 || ih >= h) continue; // padding row: stays zero
                        int row = src + ih * w, d = dst + oh * wOut;
                        for (int ow = 0; ow < wOut; ow++) {
                            int iw = ow * sw - pw + j;
                            if (iw >= 0 && iw < w) cols[d + ow] = xa[row + iw];
                        }
                    }
                }
            }
        });
        return Node.record(Tensor.of(cols, n, k, l), "im2col", (g, grads) -> {
            // col2im: every column entry adds back into the input pixel it was read from
            float[] gx = new float[n * c * h * w];
            ComputePool.global().forEachChunk(n * c, plane -> {
                int base = plane * h * w;
                int srcPlane = plane * kh * kw * l;
                for (int i = 0; i < kh; i++) {
                    for (int j = 0; j < kw; j++) {
                        int s = srcPlane + (i * kw + j) * l;
                        for (int oh = 0; oh < hOut; oh++) {
                            int ih = oh * sh - ph + i;
                            if (ih < 0 || ih >= h) continue;
                            int row = base + ih * w, d = s + oh * wOut;
                            for (int ow = 0; ow < wOut; ow++) {
                                int iw = ow * sw - pw + j;
                                if (iw >= 0 && iw < w) gx[row + iw] += g[d + ow];
                            }
                        }
                    }
                }
            });
            grads.accumulate(x, gx);
        }, x);
    }
}
