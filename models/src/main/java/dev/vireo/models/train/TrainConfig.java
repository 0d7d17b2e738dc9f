package dev.vireo.models.train;

import java.nio.file.Path;

/**
 * Everything a contrastive training run is given. Sizes are in samples; {@code steps} counts
 * optimiser steps (each over {@code batch × accumulation} samples).
 *
 * @param lockImage    freeze the image tower (locked-image tuning, Zhai et al. 2022)
 * @param lockText     freeze the text tower
 * @param checkpointEvery save a checkpoint every this many steps (0: only at the end)
 * @param loss         {@code clip} (symmetric InfoNCE) or {@code siglip} (sigmoid loss with a learnable bias, Zhai et al. 2023)
 * @param augment      image augmentation of each training sample, one of {@link #AUGMENTS}: {@code none}, or a
 *                     {@link dev.vireo.models.image.TrainAugment} preset applied to the held S×S images ({@link BatchAugment})
 */
public record TrainConfig(int steps, int batch, int accumulation, double lr, int warmup, double weightDecay,
                          double clipNorm, long seed, Path outDir, boolean resume, int checkpointEvery,
                          boolean lockImage, boolean lockText, boolean quiet, String loss, String augment) {
    /** The contrastive losses the trainer knows: CLIP's softmax InfoNCE and SigLIP's pairwise sigmoid. */
    public static final java.util.List<String> LOSSES = java.util.List.of("clip", "siglip");
    /** The augmentations the trainer knows: {@code none} and the {@link dev.vireo.models.image.TrainAugment} presets. */
    public static final java.util.List<String> AUGMENTS = BatchAugment.NAMES;

    /** The CLIP loss, no augmentation. */
    public TrainConfig(int steps, int batch, int accumulation, double lr, int warmup, double weightDecay,
                       double clipNorm, long seed, Path outDir, boolean resume, int checkpointEvery,
                       boolean lockImage, boolean lockText, boolean quiet) {
        this(steps, batch, accumulation, lr, warmup, weightDecay, clipNorm, seed, outDir, resume, checkpointEvery,
                lockImage, lockText, quiet, "clip");
    }

    /** No augmentation. */
    public TrainConfig(int steps, int batch, int accumulation, double lr, int warmup, double weightDecay,
                       double clipNorm, long seed, Path outDir, boolean resume, int checkpointEvery,
                       boolean lockImage, boolean lockText, boolean quiet, String loss) {
        this(steps, batch, accumulation, lr, warmup, weightDecay, clipNorm, seed, outDir, resume, checkpointEvery,
                lockImage, lockText, quiet, loss, "none");
    }

    public TrainConfig {
        if (!LOSSES.contains(loss)) throw new IllegalArgumentException("train: unknown loss '" + loss + "'; known: " + LOSSES);
        if (!AUGMENTS.contains(augment)) throw BatchAugment.unknown(augment);
        if (steps <= 0) throw new IllegalArgumentException("train: steps must be positive, got " + steps);
        if (batch < 2) throw new IllegalArgumentException("train: a contrastive batch needs at least 2 samples, got " + batch);
        if (accumulation < 1) throw new IllegalArgumentException("train: accumulation must be >= 1, got " + accumulation);
        if (!(lr > 0)) throw new IllegalArgumentException("train: lr must be positive, got " + lr);
        if (warmup < 0 || warmup > steps) throw new IllegalArgumentException("train: warmup " + warmup + " outside 0.." + steps);
        if (weightDecay < 0) throw new IllegalArgumentException("train: weight decay must be >= 0, got " + weightDecay);
        if (lockImage && lockText) throw new IllegalArgumentException("train: locking both towers leaves only the temperature to train");
    }

    public TrainConfig withResume(boolean r) {
        return new TrainConfig(steps, batch, accumulation, lr, warmup, weightDecay, clipNorm, seed, outDir, r, checkpointEvery,
                lockImage, lockText, quiet, loss, augment);
    }

    public TrainConfig withAugment(String a) {
        return new TrainConfig(steps, batch, accumulation, lr, warmup, weightDecay, clipNorm, seed, outDir, resume, checkpointEvery,
                lockImage, lockText, quiet, loss, a);
    }
}
