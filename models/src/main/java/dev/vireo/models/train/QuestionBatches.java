package dev.vireo.models.train;

import dev.vireo.engine.tensor.Rng;
import dev.vireo.engine.tensor.Tensor;

/**
 * Batches of questions for VQA training: each batch holds B / k images, drawn as {@link BatchSampler}
 * draws them (epoch permutations, optional augmentation), and k distinct questions of each (all of
 * them, repeated in turn, when an image has fewer), chosen by a generator seeded from (seed, batch
 * number, image position): a pure function of (seed, step). Asking several questions of one image
 * lets the image tower run once for all of them.
 */
final class QuestionBatches {
    /** Keeps question draws apart from the sampler's permutation (-1), caption (image ≥ 0) and augmentation (-2) streams. */
    private static final long STREAM = -3;

    /**
     * One batch: images (B / k, 3, S, S), question ids (B, T) row-major padded to the longest, and for
     * each row the position of its image in the batch, the image's index in the data and its question's.
     */
    record Batch(Tensor images, int[] ids, int length, int[] imageRow, int[] imageIndex, int[] questionIndex) {}

    private final BatchSampler images;
    private final int[][][] questions; // [image][question][ids up to [SEP]]
    private final int perImage;
    private final long seed;

    QuestionBatches(QuestionAnswerData data, BatchSampler.CaptionCoder coder, int contextLength, long seed, BatchAugment augment, int perImage) {
        if (perImage < 1) throw new IllegalArgumentException("vqa: questions per image must be at least 1, got " + perImage);
        this.images = new BatchSampler(data, q -> new int[] {0}, contextLength, seed, augment); // its images only
        this.questions = new int[data.size()][][];
        for (int i = 0; i < data.size(); i++) {
            var qs = data.captions(i);
            questions[i] = new int[qs.size()][];
            for (int k = 0; k < qs.size(); k++) questions[i][k] = coder.code(qs.get(k));
        }
        this.perImage = perImage;
        this.seed = seed;
    }

    Batch batch(long number, int batchSize) {
        if (batchSize % perImage != 0) {
            throw new IllegalArgumentException("vqa: the batch (" + batchSize + ") must be a multiple of the questions per image (" + perImage + ")");
        }
        BatchSampler.Batch b = images.batch(number, batchSize / perImage);
        int n = b.imageIndex().length;
        int[] imageRow = new int[batchSize], imageIndex = new int[batchSize], questionIndex = new int[batchSize];
        int length = 1;
        for (int j = 0; j < n; j++) {
            int image = b.imageIndex()[j], count = questions[image].length;
            int[] order = new int[count];
            for (int k = 0; k < count; k++) order[k] = k;
            new Rng(BatchSampler.mix(seed, number * n + j, STREAM)).shuffle(order);
            for (int k = 0; k < perImage; k++) {
                int row = j * perImage + k;
                imageRow[row] = j;
                imageIndex[row] = image;
                questionIndex[row] = order[k % count];
                length = Math.max(length, questions[image][questionIndex[row]].length);
            }
        }
        int[] ids = new int[batchSize * length]; // (B, T), padded with 0 after [SEP]
        for (int row = 0; row < batchSize; row++) {
            int[] q = questions[imageIndex[row]][questionIndex[row]];
            System.arraycopy(q, 0, ids, row * length, Math.min(length, q.length));
        }
        return new Batch(b.images(), ids, length, imageRow, imageIndex, questionIndex);
    }
}
