package dev.vireo.models.image;

/**
 * Pillow's colour adjustments as torchvision applies them to PIL images (torchvision.transforms.functional_pil):
 * brightness, contrast and saturation are {@code ImageEnhance} blends, hue is a uint8 shift of PIL's HSV hue channel,
 * grey is PIL's {@code convert("L")}. Each follows Pillow's integer and float rounding (Blend.c, Convert.c).
 */
public final class ColorOps {
    private ColorOps() {
    }

    /** PIL's L = (19595 R + 38470 G + 7471 B + 0x8000) >> 16 (ITU-R 601-2 luma in 16-bit fixed point). */
    public static int luma(int r, int g, int b) {
        return (r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16;
    }

    /** {@code convert("L")} replicated into three channels (torchvision's to_grayscale with 3 output channels). */
    public static RgbImage grayscale(RgbImage image) {
        byte[] p = image.pixels(), out = new byte[p.length];
        for (int i = 0; i < p.length; i += 3) {
            byte l = (byte) luma(p[i] & 0xFF, p[i + 1] & 0xFF, p[i + 2] & 0xFF);
            out[i] = out[i + 1] = out[i + 2] = l;
        }
        return new RgbImage(image.width(), image.height(), out);
    }

    /** {@code ImageEnhance.Brightness(img).enhance(f)}: blend with black. */
    public static RgbImage brightness(RgbImage image, double factor) {
        return blend(null, 0, image, factor);
    }

    /** {@code ImageEnhance.Contrast(img).enhance(f)}: blend with the rounded mean grey level of the image. */
    public static RgbImage contrast(RgbImage image, double factor) {
        byte[] p = image.pixels();
        long sum = 0;
        for (int i = 0; i < p.length; i += 3) sum += luma(p[i] & 0xFF, p[i + 1] & 0xFF, p[i + 2] & 0xFF);
        int mean = (int) ((double) sum / (p.length / 3) + 0.5);
        return blend(null, mean, image, factor);
    }

    /** {@code ImageEnhance.Color(img).enhance(f)}: blend with the grey version of the image. */
    public static RgbImage saturation(RgbImage image, double factor) {
        return blend(grayscale(image), 0, image, factor);
    }

    /**
     * Pillow's ImagingBlend(degenerate, image, alpha): out = d + alpha (v - d) in float, truncated, and clipped to 0..255
     * when alpha lies outside [0, 1]. {@code degenerate == null} means the constant grey {@code level}.
     */
    private static RgbImage blend(RgbImage degenerate, int level, RgbImage image, double factor) {
        float alpha = (float) factor;
        boolean interpolate = alpha >= 0 && alpha <= 1.0;
        byte[] p = image.pixels(), out = new byte[p.length];
        byte[] d = degenerate == null ? null : degenerate.pixels();
        for (int i = 0; i < p.length; i++) {
            int a = d == null ? level : d[i] & 0xFF;
            float v = a + alpha * ((p[i] & 0xFF) - a);
            if (interpolate) out[i] = (byte) (int) v;
            else out[i] = (byte) (v <= 0.0f ? 0 : v >= 255.0f ? 255 : (int) v);
        }
        return new RgbImage(image.width(), image.height(), out);
    }

    /**
     * torchvision's adjust_hue on PIL: convert("HSV"), add uint8(hue * 255) to H with wrap-around, convert back.
     * {@code hue} in [-0.5, 0.5]; the offset truncates toward zero and wraps modulo 256 as numpy's uint8 cast does.
     */
    public static RgbImage hue(RgbImage image, double hue) {
        if (hue < -0.5 || hue > 0.5) throw new IllegalArgumentException("ColorOps.hue: factor must be in [-0.5, 0.5], got " + hue);
        int shift = ((int) (hue * 255)) & 0xFF;
        byte[] p = image.pixels(), out = new byte[p.length];
        int[] hsv = new int[3];
        for (int i = 0; i < p.length; i += 3) {
            rgbToHsv(p[i] & 0xFF, p[i + 1] & 0xFF, p[i + 2] & 0xFF, hsv);
            hsvToRgb((hsv[0] + shift) & 0xFF, hsv[1], hsv[2], out, i);
        }
        return new RgbImage(image.width(), image.height(), out);
    }

    /** Pillow's rgb2hsv_row (after colorsys.py), float and double steps as in C. */
    static void rgbToHsv(int r, int g, int b, int[] hsv) {
        int maxc = Math.max(r, Math.max(g, b)), minc = Math.min(r, Math.min(g, b));
        hsv[2] = maxc;
        if (minc == maxc) {
            hsv[0] = 0;
            hsv[1] = 0;
            return;
        }
        float cr = maxc - minc;
        float s = cr / (float) maxc;
        float rc = (maxc - r) / cr, gc = (maxc - g) / cr, bc = (maxc - b) / cr;
        float h;
        if (r == maxc) h = bc - gc;
        else if (g == maxc) h = (float) (2.0 + rc - bc);
        else h = (float) (4.0 + gc - rc);
        h = (float) ((h / 6.0 + 1.0) % 1.0);
        hsv[0] = clip8((int) (h * 255.0));
        hsv[1] = clip8((int) (s * 255.0));
    }

    /** Pillow's hsv2rgb, writing R, G, B at {@code out[o..o+2]}. */
    static void hsvToRgb(int h, int s, int v, byte[] out, int o) {
        if (s == 0) {
            out[o] = out[o + 1] = out[o + 2] = (byte) v;
            return;
        }
        int i = (int) Math.floor((float) h * 6.0 / 255.0);
        float f = (float) ((float) h * 6.0 / 255.0 - (float) i);
        float fs = (float) (((float) s) / 255.0);
        int p = clip8((int) Math.round((float) v * (1.0 - fs)));
        int q = clip8((int) Math.round((float) v * (1.0 - fs * f)));
        int t = clip8((int) Math.round((float) v * (1.0 - fs * (1.0 - f))));
        int r, g, b;
        switch (i % 6) {
            case 0 -> { r = v; g = t; b = p; }
            case 1 -> { r = q; g = v; b = p; }
            case 2 -> { r = p; g = v; b = t; }
            case 3 -> { r = p; g = q; b = v; }
            case 4 -> { r = t; g = p; b = v; }
            default -> { r = v; g = p; b = q; }
        }
        out[o] = (byte) r;
        out[o + 1] = (byte) g;
        out[o + 2] = (byte) b;
    }

    private static int clip8(int v) {
        return v < 0 ? 0 : Math.min(v, 255);
    }
}
