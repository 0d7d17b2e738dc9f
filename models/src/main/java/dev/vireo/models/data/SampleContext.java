package dev.vireo.models.data;

import dev.vireo.engine.tensor.Rng;

import java.util.List;

/**
 * What a transform may know about the sample it prepares: the loader's seed, the epoch and the
 * sample's index in the dataset. Randomness is derived from these three alone, never from the
 * worker or the time, so augmentation and caption choice are the same with 1 or N workers.
 */
public record SampleContext(long seed, int epoch, int index) {
    private static final long AUGMENT_STREAM = 1;
    private static final long CAPTION_STREAM = 2;

    /** A fresh generator for this sample's augmentation. */
    public Rng rng() {
        return new Rng(mix(seed, epoch, index, AUGMENT_STREAM));
    }

    /** The caption this sample uses this epoch: seeded, and independent of the augmentation stream. */
    public String pickCaption(List<String> captions) {
        if (captions.isEmpty()) throw new IllegalArgumentException("sample " + index + ": no caption to pick from");
        if (captions.size() == 1) return captions.getFirst();
        return captions.get(new Rng(mix(seed, epoch, index, CAPTION_STREAM)).nextInt(captions.size()));
    }

    /** Hashes the parts into one seed with SplitMix64's finaliser after each part. */
    static long mix(long... parts) {
        long h = 0x9E3779B97F4A7C15L;
        for (long part : parts) {
            long z = h ^ (part * 0xD1B54A32D192ED03L);
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            h = z ^ (z >>> 31);
        }
        return h;
    }
}
