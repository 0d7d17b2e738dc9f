package dev.vireo.models.train;

import dev.vireo.engine.parallel.ComputePool;
import dev.vireo.engine.tensor.Rng;
import dev.vireo.models.image.ClipPreprocessConfig;
import dev.vireo.models.image.ClipPreprocessor;
import dev.vireo.models.image.RgbImage;
import dev.vireo.models.image.TrainAugment;

/**
 * Training augmentation applied to a batch as the trainer assembles it ({@link TrainConfig.Augment}): none or one of the
 * {@link TrainAugment} presets ({@code openclip}: random resized crop, scale 0.9–1; {@code simclr}:
 * crop 0.08–1, flip, colour jitter, greyscale).
 * <p>
 * The trainer's data sets hold every image once, already resized and centre-cropped to the model's
 * S×S and CLIP-normalised; the full-resolution originals are gone. So each image is turned back into
 * 8-bit RGB (x·std + mean, ×255, rounded; exact for images that were decoded from 8-bit files), the
 * preset's random resized crop is taken from that S×S image and resized back to S×S (torchvision
 * crops the original photo instead, so a crop here never holds more detail than the S×S image), the
 * rest of the preset follows, and the result is normalised again.
 * <p>
 * The generator of a sample is seeded from (seed, batch number, position in the batch) alone, so a
 * batch is the same whatever the thread count and whether or not the run was resumed before it.
 */
final class BatchAugment {
    /** Keeps augmentation seeds apart from the sampler's permutation (-1) and caption (image >= 0) streams. */
    private static final long STREAM = -2;

    private final TrainAugment preset; // null: none
    private final ClipPreprocessor normalize;
    private final int size;

    private BatchAugment(TrainAugment preset, int size) {
        this.preset = preset;
        this.normalize = new ClipPreprocessor(ClipPreprocessConfig.openai(size));
        this.size = size;
    }

    /** The augmentation {@code augment} for S×S images. */
    static BatchAugment of(TrainConfig.Augment augment, int size) {
        return new BatchAugment(augment == TrainConfig.Augment.NONE ? null : TrainAugment.named(augment.id(), size), size);
    }

    /** Augments the images of batch {@code batchNumber}, (B, 3, S, S) normalised floats, in place; one image per chunk. */
    void applyInPlace(float[] pixels, int batchSize, long batchNumber, long seed) {
        if (preset == null) return;
        int per = 3 * size * size;
        ComputePool.global().forEachChunk(batchSize, j -> {
            Rng rng = new Rng(BatchSampler.mix(seed, batchNumber * batchSize + j, STREAM));
            normalize.toChannelsFirst(preset.apply(toRgb(pixels, j * per, size), rng), pixels, j * per);
        });
    }

    /** One CLIP-normalised planar image [3][S][S] from {@code off} as 8-bit RGB: round((x·std + mean)·255), clamped. */
    static RgbImage toRgb(float[] chw, int off, int size) {
        int plane = size * size;
        byte[] rgb = new byte[plane * 3];
        for (int c = 0; c < 3; c++) {
            float mean = Normalization.CLIP_MEAN[c], std = Normalization.CLIP_STD[c];
            for (int i = 0; i < plane; i++) {
                long v = Math.round((chw[off + c * plane + i] * (double) std + mean) * 255.0);
                rgb[i * 3 + c] = (byte) Math.max(0, Math.min(255, v));
            }
        }
        return new RgbImage(size, size, rgb);
    }
}
