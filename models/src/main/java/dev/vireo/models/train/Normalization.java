package dev.vireo.models.train;

/** CLIP's per-channel image normalisation (the OpenAI training set's mean and standard deviation). */
public final class Normalization {
    public static final float[] CLIP_MEAN = {0.48145466f, 0.4578275f, 0.40821073f};
    public static final float[] CLIP_STD = {0.26862954f, 0.26130258f, 0.27577711f};

    private Normalization() {}

    /** In place: planar [3][H·W] values in [0, 1] → (x - mean) / std per channel. */
    public static void normalizeChw(float[] chw, int off, int plane) {
        for (int c = 0; c < 3; c++) {
            float mean = CLIP_MEAN[c], inv = 1f / CLIP_STD[c];
            for (int i = 0; i < plane; i++) chw[off + c * plane + i] = (chw[off + c * plane + i] - mean) * inv;
        }
    }
}
