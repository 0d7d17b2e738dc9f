package dev.vireo.models.train;

import dev.vireo.models.clip.ClipLoss;
import dev.vireo.models.clip.ContrastiveObjective;
import dev.vireo.models.clip.SigLipLoss;
import dev.vireo.models.image.TrainAugment;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Everything a contrastive training run is given; build one with {@link #builder()}, whose defaults
 * are those of {@code vireo train}. Sizes are in samples; {@code steps} counts optimiser steps (each
 * over {@code batch × accumulation} samples).
 *
 * @param lockImage       freeze the image tower (locked-image tuning, Zhai et al. 2022)
 * @param lockText        freeze the text tower
 * @param checkpointEvery save a checkpoint every this many steps (0: only at the end)
 * @param loss            the contrastive objective
 * @param augment         image augmentation of each training sample: none, or a {@link TrainAugment} preset
 *                        applied to the held S×S images ({@link BatchAugment})
 */
public record TrainConfig(int steps, int batch, int accumulation, double lr, int warmup, double weightDecay,
                          double clipNorm, long seed, Path outDir, boolean resume, int checkpointEvery,
                          boolean lockImage, boolean lockText, Loss loss, Augment augment) {
    /** The contrastive losses the trainer knows: CLIP's softmax InfoNCE and SigLIP's pairwise sigmoid with a learnable bias. */
    public enum Loss {
        CLIP, SIGLIP;

        /** The lower-case name of the command line: {@code clip}, {@code siglip}. */
        public String id() {
            return lowerName(this);
        }

        public static List<String> ids() {
            return TrainConfig.ids(values());
        }

        public static Loss parse(String id) {
            return TrainConfig.parse(values(), id, "loss");
        }

        /** A fresh objective of this kind (the learnable temperature, and for SigLIP the model's bias). */
        public ContrastiveObjective objective() {
            return this == CLIP ? new ClipLoss() : new SigLipLoss();
        }
    }

    /** The augmentations the trainer knows: none and the {@link TrainAugment} presets of the same names. */
    public enum Augment {
        NONE, OPENCLIP, SIMCLR;

        /** The lower-case name of the command line and of {@link TrainAugment#named}: {@code none}, {@code openclip}, {@code simclr}. */
        public String id() {
            return lowerName(this);
        }

        public static List<String> ids() {
            return TrainConfig.ids(values());
        }

        public static Augment parse(String id) {
            return TrainConfig.parse(values(), id, "augmentation");
        }
    }

    private static String lowerName(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }

    private static List<String> ids(Enum<?>[] values) {
        return Arrays.stream(values).map(TrainConfig::lowerName).toList();
    }

    /** The constant called {@code id} in lower case, or the command line's error naming the known ones. */
    private static <E extends Enum<E>> E parse(E[] values, String id, String what) {
        for (E e : values) if (lowerName(e).equals(id)) return e;
        throw new IllegalArgumentException("train: unknown " + what + " '" + id + "'; known: " + ids(values));
    }

    public TrainConfig {
        if (loss == null) throw new IllegalArgumentException("train: the loss is missing");
        if (augment == null) throw new IllegalArgumentException("train: the augmentation is missing");
        if (steps <= 0) throw new IllegalArgumentException("train: steps must be positive, got " + steps);
        if (batch < 2) throw new IllegalArgumentException("train: a contrastive batch needs at least 2 samples, got " + batch);
        if (accumulation < 1) throw new IllegalArgumentException("train: accumulation must be >= 1, got " + accumulation);
        if (!(lr > 0)) throw new IllegalArgumentException("train: lr must be positive, got " + lr);
        if (warmup < 0 || warmup > steps) throw new IllegalArgumentException("train: warmup " + warmup + " outside 0.." + steps);
        if (weightDecay < 0) throw new IllegalArgumentException("train: weight decay must be >= 0, got " + weightDecay);
        if (lockImage && lockText) throw new IllegalArgumentException("train: locking both towers leaves only the temperature to train");
    }

    /** A builder with the defaults of {@code vireo train}; only {@link Builder#outDir} has none. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this config's values. */
    public Builder toBuilder() {
        return new Builder().steps(steps).batch(batch).accumulation(accumulation).lr(lr).warmup(warmup).weightDecay(weightDecay)
                .clipNorm(clipNorm).seed(seed).outDir(outDir).resume(resume).checkpointEvery(checkpointEvery)
                .lockImage(lockImage).lockText(lockText).loss(loss).augment(augment);
    }

    public static final class Builder {
        private int steps = 1000;
        private int batch = 128;
        private int accumulation = 1;
        private double lr = 1e-3;
        private Integer warmup; // default: min(100, steps / 10)
        private double weightDecay = 0.1;
        private double clipNorm = 1.0;
        private long seed = 0;
        private Path outDir;
        private boolean resume = false;
        private int checkpointEvery = 500;
        private boolean lockImage = false;
        private boolean lockText = false;
        private Loss loss = Loss.CLIP;
        private Augment augment = Augment.NONE;

        private Builder() {}

        public Builder steps(int v) { steps = v; return this; }

        public Builder batch(int v) { batch = v; return this; }

        public Builder accumulation(int v) { accumulation = v; return this; }

        public Builder lr(double v) { lr = v; return this; }

        /** Warm-up steps; unset, min(100, steps / 10). */
        public Builder warmup(int v) { warmup = v; return this; }

        public Builder weightDecay(double v) { weightDecay = v; return this; }

        /** Global gradient-norm clipping; 0 turns it off. */
        public Builder clipNorm(double v) { clipNorm = v; return this; }

        public Builder seed(long v) { seed = v; return this; }

        /** The run folder: checkpoint, config.json, metrics.jsonl, data.json. Required. */
        public Builder outDir(Path v) { outDir = v; return this; }

        /** Continue from the run folder's checkpoint when there is one. */
        public Builder resume(boolean v) { resume = v; return this; }

        public Builder checkpointEvery(int v) { checkpointEvery = v; return this; }

        public Builder lockImage(boolean v) { lockImage = v; return this; }

        public Builder lockText(boolean v) { lockText = v; return this; }

        public Builder loss(Loss v) { loss = v; return this; }

        public Builder augment(Augment v) { augment = v; return this; }

        public TrainConfig build() {
            if (outDir == null) throw new IllegalArgumentException("train: the run folder (outDir) is missing");
            return new TrainConfig(steps, batch, accumulation, lr, warmup != null ? warmup : Math.min(100, steps / 10), weightDecay,
                    clipNorm, seed, outDir, resume, checkpointEvery, lockImage, lockText, loss, augment);
        }
    }
}
