package dev.vireo.models.train;

import dev.vireo.engine.tensor.Rng;
import dev.vireo.engine.tensor.Tensor;
import dev.vireo.models.text.ClipTokenizer;

import java.util.Arrays;

/**
 * Cuts image–text data into batches whose content depends only on (seed, batch number): epoch e
 * visits the images in a permutation drawn from a generator seeded by (seed, e), and each image
 * contributes one of its captions chosen by (seed, e, image). Captions are coded once: into token
 * ids by a tokenizer, or into the one id of a cached sentence vector for a locked text tower. Images
 * are then augmented, when asked, with generators seeded by (seed, batch number, position): see
 * {@link BatchAugment}.
 */
final class BatchSampler {
    /**
     * One batch: images (B, 3, S, S), token ids (B, T) row-major padded to a common length T, and
     * for each row the image it shows and which of that image's captions it carries.
     */
    record Batch(Tensor images, int[] ids, int length, int[] imageIndex, int[] captionIndex) {
        /** Rows {@code [from, to)} of this batch, padded to the same length T (a data-parallel rank's share). */
        Batch rows(int from, int to) {
            int[] shape = images.shape();
            int per = shape[1] * shape[2] * shape[3], n = to - from;
            float[] pixels = Arrays.copyOfRange(images.toArray(), from * per, to * per); // (n, 3, S, S)
            return new Batch(Tensor.of(pixels, n, shape[1], shape[2], shape[3]), Arrays.copyOfRange(ids, from * length, to * length),
                    length, Arrays.copyOfRange(imageIndex, from, to), Arrays.copyOfRange(captionIndex, from, to));
        }
    }

    private final ImageTextData data;
    private final int[][][] tokens; // [image][caption][ids]
    private final int contextLength;
    private final long seed;
    private final BatchAugment augment;
    private int cachedEpoch = -1;
    private int[] order;

    /** How a caption becomes the ids a batch carries for it. */
    @FunctionalInterface
    interface CaptionCoder {
        int[] code(String caption);
    }

    BatchSampler(ImageTextData data, ClipTokenizer tokenizer, int contextLength, long seed, BatchAugment augment) {
        this(data, caption -> trimmed(tokenizer.encode(caption, contextLength), tokenizer.endId()), contextLength, seed, augment);
    }

    BatchSampler(ImageTextData data, CaptionCoder coder, int contextLength, long seed, BatchAugment augment) {
        this.data = data;
        this.augment = augment;
        this.contextLength = contextLength;
        this.seed = seed;
        this.tokens = new int[data.size()][][];
        for (int i = 0; i < data.size(); i++) {
            var captions = data.captions(i);
            tokens[i] = new int[captions.size()][];
            for (int c = 0; c < captions.size(); c++) tokens[i][c] = coder.code(captions.get(c));
        }
    }

    /** The ids up to and including the end token (padding dropped: batches pad to their own longest caption). */
    static int[] trimmed(int[] ids, int endId) {
        for (int i = 0; i < ids.length; i++) if (ids[i] == endId) return Arrays.copyOf(ids, i + 1);
        return ids;
    }

    /** The attention mask (rows, length) of row-major ids: 0 on {@code padId}, 1 elsewhere; null when no row is padded. */
    static Tensor paddingMask(int[] ids, int rows, int length, int padId) {
        float[] mask = new float[rows * length]; // (B, T)
        boolean padded = false;
        for (int i = 0; i < mask.length; i++) {
            mask[i] = ids[i] == padId ? 0f : 1f;
            padded |= mask[i] == 0f;
        }
        return padded ? Tensor.of(mask, rows, length) : null;
    }

    Batch batch(long batchNumber, int batchSize) {
        int n = data.size(), side = data.imageSize(), per = 3 * side * side;
        float[] pixels = new float[batchSize * per]; // (B, 3, S, S)
        int[][] chosen = new int[batchSize][];
        int[] imageIndex = new int[batchSize], captionIndex = new int[batchSize];
        int length = 1;
        for (int j = 0; j < batchSize; j++) {
            long global = batchNumber * batchSize + j;
            int epoch = (int) (global / n);
            int image = permutation(epoch)[(int) (global % n)];
            data.image(image, pixels, j * per);
            Rng pick = new Rng(mix(seed, epoch, image));
            imageIndex[j] = image;
            captionIndex[j] = pick.nextInt(tokens[image].length);
            chosen[j] = tokens[image][captionIndex[j]];
            length = Math.max(length, chosen[j].length);
        }
        augment.applyInPlace(pixels, batchSize, batchNumber, seed);
        length = Math.min(length, contextLength);
        int[] ids = new int[batchSize * length]; // (B, T), padded with 0 after the end token
        for (int j = 0; j < batchSize; j++) System.arraycopy(chosen[j], 0, ids, j * length, Math.min(length, chosen[j].length));
        return new Batch(Tensor.of(pixels, batchSize, 3, side, side), ids, length, imageIndex, captionIndex);
    }

    private int[] permutation(int epoch) {
        if (epoch != cachedEpoch) {
            order = new int[data.size()];
            for (int i = 0; i < order.length; i++) order[i] = i;
            new Rng(mix(seed, epoch, -1)).shuffle(order);
            cachedEpoch = epoch;
        }
        return order;
    }

    static long mix(long seed, long a, long b) {
        long h = seed * 0x9E3779B97F4A7C15L + a;
        h = (h ^ (h >>> 31)) * 0xBF58476D1CE4E5B9L + b;
        return h ^ (h >>> 29);
    }
}
