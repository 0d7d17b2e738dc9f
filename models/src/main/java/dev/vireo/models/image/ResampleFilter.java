package dev.vireo.models.image;

/**
 * PIL's resampling filters with their integer codes (as stored in Hugging Face's {@code "resample"} field) and the
 * exact kernel formulas of Pillow's {@code Resample.c}. NEAREST has no kernel: it is a point sample.
 */
public enum ResampleFilter {
    NEAREST(0, 0.0),
    LANCZOS(1, 3.0),
    BILINEAR(2, 1.0),
    BICUBIC(3, 2.0),
    BOX(4, 0.5),
    HAMMING(5, 1.0);

    private final int pilCode;
    private final double support;

    ResampleFilter(int pilCode, double support) {
        this.pilCode = pilCode;
        this.support = support;
    }

    /** The {@code PIL.Image.Resampling} value. */
    public int pilCode() {
        return pilCode;
    }

    /** Half-width of the kernel at scale 1. */
    public double support() {
        return support;
    }

    /** The filter for a {@code PIL.Image.Resampling} value. */
    public static ResampleFilter fromPil(int code) {
        for (ResampleFilter f : values()) {
            if (f.pilCode == code) return f;
        }
        throw new IllegalArgumentException("ResampleFilter: unknown PIL resample code " + code + " (expected 0..5)");
    }

    /** The kernel weight at distance x (in source pixels, already divided by the filter scale). */
    double weight(double x) {
        return switch (this) {
            case BOX -> x > -0.5 && x <= 0.5 ? 1.0 : 0.0;
            case BILINEAR -> {
                double ax = Math.abs(x);
                yield ax < 1.0 ? 1.0 - ax : 0.0;
            }
            case HAMMING -> {
                double ax = Math.abs(x);
                if (ax == 0.0) yield 1.0;
                if (ax >= 1.0) yield 0.0;
                double px = ax * Math.PI;
                yield Math.sin(px) / px * ((double) 0.54f + (double) 0.46f * Math.cos(px)); // Pillow uses float literals
            }
            case BICUBIC -> bicubic(x);
            case LANCZOS -> -3.0 <= x && x < 3.0 ? sinc(x) * sinc(x / 3) : 0.0;
            case NEAREST -> throw new IllegalStateException("ResampleFilter.NEAREST has no kernel");
        };
    }

    /** Keys' cubic convolution with a = -0.5 (Pillow's bicubic_filter). */
    private static double bicubic(double x) {
        final double a = -0.5;
        if (x < 0.0) x = -x;
        if (x < 1.0) return ((a + 2.0) * x - (a + 3.0)) * x * x + 1;
        if (x < 2.0) return (((x - 5) * x + 8) * x - 4) * a;
        return 0.0;
    }

    private static double sinc(double x) {
        if (x == 0.0) return 1.0;
        x = x * Math.PI;
        return Math.sin(x) / x;
    }
}
