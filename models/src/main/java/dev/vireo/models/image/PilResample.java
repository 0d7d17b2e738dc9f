package dev.vireo.models.image;

import java.util.Arrays;

/**
 * A bit-exact port of Pillow's {@code Image.resize} for 8-bit RGB ({@code ImagingResample} in Resample.c): separable
 * convolution, horizontal pass first over only the rows the vertical pass needs, the kernel widened by the scale on
 * downscale (antialiasing), coefficients normalised to sum 1 and stored as int32 with 22 fractional bits, every pass
 * rounded and clipped to uint8. NEAREST follows Pillow's affine point sampling instead. Single-threaded and stateless.
 */
public final class PilResample {
    /** 32 - 8 - 2: 8 bits for the pixel value, 2 spare bits for kernels whose sums overshoot. */
    static final int PRECISION_BITS = 22;

    private PilResample() {
    }

    /** {@code image.resize((width, height), filter)} over the whole image. */
    public static RgbImage resize(RgbImage image, int width, int height, ResampleFilter filter) {
        return resize(image, width, height, filter, 0f, 0f, image.width(), image.height());
    }

    /** {@code image.resize((width, height), filter, box=(x0, y0, x1, y1))}; the box is in float, as in Pillow. */
    public static RgbImage resize(RgbImage image, int width, int height, ResampleFilter filter,
                                  float x0, float y0, float x1, float y1) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("PilResample.resize: output size must be positive, got " + width + "x" + height);
        }
        if (x0 < 0 || y0 < 0 || x1 > image.width() || y1 > image.height() || x1 - x0 < 0 || y1 - y0 < 0) {
            throw new IllegalArgumentException("PilResample.resize: box (" + x0 + ", " + y0 + ", " + x1 + ", " + y1
                    + ") is outside the " + image.width() + "x" + image.height() + " image");
        }
        if (width == image.width() && height == image.height() && x0 == 0 && y0 == 0
                && x1 == width && y1 == height) {
            return new RgbImage(width, height, image.pixels().clone());
        }
        if (filter == ResampleFilter.NEAREST) return nearest(image, width, height, x0, y0, x1, y1);
        boolean needHorizontal = width != image.width() || x0 != 0 || x1 != width;
        boolean needVertical = height != image.height() || y0 != 0 || y1 != height;
        Coefficients vert = Coefficients.of(image.height(), y0, y1, height, filter);
        int firstRow = vert.bounds[0];
        int lastRow = vert.bounds[height * 2 - 2] + vert.bounds[height * 2 - 1];
        RgbImage current = image;
        if (needHorizontal) {
            Coefficients horiz = Coefficients.of(image.width(), x0, x1, width, filter);
            for (int i = 0; i < height; i++) vert.bounds[i * 2] -= firstRow; // rows of the temporary image
            current = horizontal(image, firstRow, lastRow - firstRow, horiz);
        }
        if (needVertical) current = vertical(current, height, vert);
        return current == image ? new RgbImage(width, height, image.pixels().clone()) : current;
    }

    /**
     * The window [x0, x0 + w) x [y0, y0 + h) of {@code resize(image, width, height, filter)}, computing only the output
     * pixels inside it: each output pixel depends only on its own coefficients, so the pixels are identical and a
     * centre crop after a resize skips the work for the pixels it would discard.
     */
    public static RgbImage resizeWindow(RgbImage image, int width, int height, ResampleFilter filter,
                                        int x0, int y0, int w, int h) {
        if (x0 < 0 || y0 < 0 || w <= 0 || h <= 0 || x0 + w > width || y0 + h > height) {
            throw new IllegalArgumentException("PilResample.resizeWindow: window (" + x0 + ", " + y0 + ", " + w + "x" + h
                    + ") is not inside the " + width + "x" + height + " output");
        }
        boolean needHorizontal = width != image.width(), needVertical = height != image.height();
        if (filter == ResampleFilter.NEAREST || !needHorizontal && !needVertical) {
            return resize(image, width, height, filter).crop(x0, y0, w, h);
        }
        int firstRow = y0, rows = h;
        Coefficients vert = null;
        if (needVertical) {
            vert = Coefficients.of(image.height(), 0f, image.height(), height, filter).window(y0, h);
            firstRow = Integer.MAX_VALUE;
            int lastRow = 0;
            for (int i = 0; i < h; i++) {
                firstRow = Math.min(firstRow, vert.bounds[2 * i]);
                lastRow = Math.max(lastRow, vert.bounds[2 * i] + vert.bounds[2 * i + 1]);
            }
            for (int i = 0; i < h; i++) vert.bounds[2 * i] -= firstRow;
            rows = lastRow - firstRow;
        }
        RgbImage tmp = needHorizontal
                ? horizontal(image, firstRow, rows, Coefficients.of(image.width(), 0f, image.width(), width, filter).window(x0, w))
                : image.crop(x0, firstRow, w, rows);
        return needVertical ? vertical(tmp, h, vert) : tmp;
    }

    /** Pillow's ImagingResampleHorizontal_8bpc over source rows [offset, offset + rows). */
    private static RgbImage horizontal(RgbImage in, int offset, int rows, Coefficients c) {
        int outW = c.outSize, inW = in.width(), ksize = c.ksize;
        byte[] src = in.pixels();
        byte[] out = new byte[outW * rows * 3];
        int half = 1 << (PRECISION_BITS - 1);
        for (int yy = 0; yy < rows; yy++) {
            int rowBase = (yy + offset) * inW * 3;
            for (int xx = 0; xx < outW; xx++) {
                int xmin = c.bounds[xx * 2], xmax = c.bounds[xx * 2 + 1], k = xx * ksize;
                int s0 = half, s1 = half, s2 = half;
                int p = rowBase + xmin * 3;
                for (int x = 0; x < xmax; x++, p += 3) {
                    int w = c.kk[k + x];
                    s0 += (src[p] & 0xFF) * w;
                    s1 += (src[p + 1] & 0xFF) * w;
                    s2 += (src[p + 2] & 0xFF) * w;
                }
                int o = (yy * outW + xx) * 3;
                out[o] = clip8(s0);
                out[o + 1] = clip8(s1);
                out[o + 2] = clip8(s2);
            }
        }
        return new RgbImage(outW, rows, out);
    }

    /** Pillow's ImagingResampleVertical_8bpc. */
    private static RgbImage vertical(RgbImage in, int outH, Coefficients c) {
        int w = in.width(), ksize = c.ksize, stride = w * 3;
        byte[] src = in.pixels();
        byte[] out = new byte[w * outH * 3];
        int half = 1 << (PRECISION_BITS - 1);
        int[] acc = new int[stride];
        for (int yy = 0; yy < outH; yy++) {
            int ymin = c.bounds[yy * 2], ymax = c.bounds[yy * 2 + 1], k = yy * ksize;
            Arrays.fill(acc, half);
            // row-major accumulation: the same integer sums as Pillow's per-pixel loop, in cache order
            for (int y = 0; y < ymax; y++) {
                int wgt = c.kk[k + y];
                int row = (y + ymin) * stride;
                for (int i = 0; i < stride; i++) acc[i] += (src[row + i] & 0xFF) * wgt;
            }
            int o = yy * stride;
            for (int i = 0; i < stride; i++) out[o + i] = clip8(acc[i]);
        }
        return new RgbImage(w, outH, out);
    }

    /** Pillow's clip8: the integer part of a 22-bit fixed-point sum, clamped to 0..255. */
    static byte clip8(int sum) {
        int v = sum >> PRECISION_BITS;
        return (byte) (v < 0 ? 0 : Math.min(v, 255));
    }

    /**
     * Pillow's NEAREST resize: an affine transform sampled at pixel centres through ImagingScaleAffine, whose source
     * coordinates are accumulated in double from {@code box0 + scale/2} by {@code scale} per pixel.
     */
    private static RgbImage nearest(RgbImage in, int width, int height, float x0, float y0, float x1, float y1) {
        double ax = (double) (x1 - x0) / width, ay = (double) (y1 - y0) / height;
        int[] xin = new int[width];
        double xo = x0 + ax * 0.5;
        for (int x = 0; x < width; x++, xo += ax) xin[x] = Math.min(coord(xo), in.width() - 1);
        byte[] src = in.pixels(), out = new byte[width * height * 3];
        double yo = y0 + ay * 0.5;
        for (int y = 0; y < height; y++, yo += ay) {
            int yi = Math.min(coord(yo), in.height() - 1);
            for (int x = 0; x < width; x++) {
                int s = (yi * in.width() + xin[x]) * 3, d = (y * width + x) * 3;
                out[d] = src[s];
                out[d + 1] = src[s + 1];
                out[d + 2] = src[s + 2];
            }
        }
        return new RgbImage(width, height, out);
    }

    private static int coord(double v) {
        return v < 0.0 ? 0 : (int) v;
    }

    /** Pillow's precompute_coeffs + normalize_coeffs_8bpc for one axis. */
    static final class Coefficients {
        final int outSize;
        final int ksize;
        /** Per output pixel: first source index and number of taps. */
        final int[] bounds;
        /** Per output pixel, {@code ksize} fixed-point weights (22 fractional bits). */
        final int[] kk;

        private Coefficients(int outSize, int ksize, int[] bounds, int[] kk) {
            this.outSize = outSize;
            this.ksize = ksize;
            this.bounds = bounds;
            this.kk = kk;
        }

        /** The coefficients of output pixels [from, from + n) only. */
        Coefficients window(int from, int n) {
            int[] b = Arrays.copyOfRange(bounds, 2 * from, 2 * (from + n));
            int[] k = Arrays.copyOfRange(kk, from * ksize, (from + n) * ksize);
            return new Coefficients(n, ksize, b, k);
        }

        static Coefficients of(int inSize, float in0, float in1, int outSize, ResampleFilter filter) {
            double scale = (double) (in1 - in0) / outSize; // the box difference is taken in float, as in C
            double filterScale = Math.max(scale, 1.0);
            double support = filter.support() * filterScale;
            int ksize = (int) Math.ceil(support) * 2 + 1;
            int[] bounds = new int[outSize * 2];
            int[] kk = new int[outSize * ksize];
            double[] k = new double[ksize];
            for (int xx = 0; xx < outSize; xx++) {
                double center = in0 + (xx + 0.5) * scale;
                double ww = 0.0;
                double ss = 1.0 / filterScale;
                int xmin = (int) (center - support + 0.5);
                if (xmin < 0) xmin = 0;
                int xmax = (int) (center + support + 0.5);
                if (xmax > inSize) xmax = inSize;
                xmax -= xmin;
                for (int x = 0; x < xmax; x++) {
                    double w = filter.weight((x + xmin - center + 0.5) * ss);
                    k[x] = w;
                    ww += w;
                }
                for (int x = 0; x < xmax; x++) {
                    if (ww != 0.0) k[x] /= ww;
                    double scaled = k[x] * (1 << PRECISION_BITS);
                    kk[xx * ksize + x] = k[x] < 0 ? (int) (-0.5 + scaled) : (int) (0.5 + scaled);
                }
                bounds[xx * 2] = xmin;
                bounds[xx * 2 + 1] = Math.max(xmax, 0);
            }
            return new Coefficients(outSize, ksize, bounds, kk);
        }
    }
}
