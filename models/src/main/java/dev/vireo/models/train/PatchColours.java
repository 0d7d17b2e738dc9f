package dev.vireo.models.train;

/**
 * The targets of masked patch prediction (ViLT): each patch's mean colour, in [0, 1] per channel
 * after undoing CLIP's normalisation, in 8 levels per channel: class r·64 + g·8 + b of 512.
 */
public final class PatchColours {
    private PatchColours() {}

    /** Normalised images (B, 3, S, S) → each patch's class (B · (S/patch)²), patches row-major. */
    public static int[] bins(float[] pixels, int batch, int side, int patch) {
        int grid = side / patch, plane = side * side;
        int[] out = new int[batch * grid * grid];
        for (int b = 0; b < batch; b++) {
            for (int gy = 0; gy < grid; gy++) {
                for (int gx = 0; gx < grid; gx++) {
                    int bin = 0;
                    for (int c = 0; c < 3; c++) {
                        double sum = 0;
                        int base = (b * 3 + c) * plane;
                        for (int y = gy * patch; y < (gy + 1) * patch; y++) {
                            for (int x = gx * patch; x < (gx + 1) * patch; x++) sum += pixels[base + y * side + x];
                        }
                        double mean = sum / (patch * patch) * Normalization.CLIP_STD[c] + Normalization.CLIP_MEAN[c]; // in [0, 1]
                        bin = bin * 8 + (int) Math.clamp(Math.floor(mean * 8), 0, 7);
                    }
                    out[(b * grid + gy) * grid + gx] = bin;
                }
            }
        }
        return out;
    }
}
