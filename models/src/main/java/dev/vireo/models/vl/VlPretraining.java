package dev.vireo.models.vl;

import dev.vireo.engine.autograd.Norms;
import dev.vireo.engine.autograd.ShapeOps;
import dev.vireo.engine.autograd.Losses;
import dev.vireo.engine.tensor.GradMode;
import dev.vireo.engine.tensor.Rng;
import dev.vireo.engine.tensor.Tensor;
import dev.vireo.models.generate.LanguageModelLoss;
import dev.vireo.models.clip.ClipLoss;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The pretraining objectives (ALBEF's three, masked region modelling and BLIP's language modelling) on one batch of image-text pairs,
 * summed with equal weights:
 * <ul>
 *   <li>ITC: symmetric InfoNCE between the image and text embeddings at the model's learnable temperature;</li>
 *   <li>ITM: the matching head on every true pair plus one hard negative per text and one per image
 *       ({@link HardNegatives}, in proportion to the contrastive similarity), cross-entropy on match / no match;</li>
 *   <li>MLM: BERT's masking ({@link MlmMasking}) of the caption, predicted from the fused text,
 *       that is with the image in view (late fusion predicts from the text alone);</li>
 *   <li>MRM: masked patches' mean colour in 512 bins (ViLT's masked patch prediction) and, where
 *       the data labels its patches, their region class (which shape and colour lies there);</li>
 *   <li>LM: BLIP's captioning loss ({@link LanguageModelLoss}, label smoothing 0.1): the text decoder
 *       ({@link VlTextDecoder}, on the same layers) predicts each caption token from the ones before
 *       it and the image, [CLS] as the begin token; mid fusion with a decoder only.</li>
 * </ul>
 */
public final class VlPretraining {
    /** The objectives one can ask for ({@code --objectives itc,itm,mlm}). */
    public enum Objective {
        ITC, ITM, MLM, MRM, LM;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** A comma-separated list of ids, e.g. {@code itc,itm,mlm}. */
        public static Set<Objective> parse(String list) {
            Set<Objective> out = EnumSet.noneOf(Objective.class);
            for (String part : list.split(",")) {
                String id = part.strip();
                Objective found = null;
                for (Objective o : values()) if (o.id().equals(id)) found = o;
                if (found == null) {
                    throw new IllegalArgumentException("objectives: unknown objective '" + id + "' (known: itc, itm, mlm, mrm, lm)");
                }
                out.add(found);
            }
            return out;
        }
    }

    /**
     * One batch: images (B, 3, S, S), token ids (B·T), the padding mask (B, T) or null, which pairs
     * are known to match, {@code matches[i·B + j]} for image i and text j (the diagonal and any
     * caption of image i that text j repeats), and for MRM each patch's mean-colour bin (B·P) and
     * region class (B·P, or null when the data has no region labels).
     */
    public record Batch(Tensor images, int[] ids, Tensor mask, int batch, int length, boolean[] matches, int[] patchColours,
                        int[] regionLabels) {}

    /** The batch's total loss () with its graph, and each objective's value. */
    public record StepLosses(Tensor total, Map<String, Double> parts) {}

    /** Fraction of patches MRM masks. */
    public static final double MRM_RATE = 0.15;

    private final Set<Objective> objectives;
    private final MlmMasking masking;
    private final SwappedCaptions swaps; // null: ALBEF's negatives only
    private final ClipLoss contrastive = new ClipLoss();

    public VlPretraining(Set<Objective> objectives, MlmMasking masking) {
        this(objectives, masking, null);
    }

    /** With {@code swaps}, ITM also meets each true pair's caption with two of its words swapped ({@link SwappedCaptions}). */
    public VlPretraining(Set<Objective> objectives, MlmMasking masking, SwappedCaptions swaps) {
        if (objectives.isEmpty()) throw new IllegalArgumentException("objectives: name at least one of itc, itm, mlm, mrm");
        this.objectives = EnumSet.copyOf(objectives);
        this.masking = masking;
        this.swaps = swaps;
    }

    /** Refuses objectives a model cannot learn: contrastive ones need embeddings of each side alone. */
    public void check(VlModel model) {
        if (objectives.contains(Objective.ITC) && !model.config().hasUnimodalEmbeddings()) {
            throw new IllegalArgumentException("objectives: itc needs image and text embeddings of their own, which early fusion"
                    + " does not have (use --objectives itm,mlm with --fusion early)");
        }
        if (objectives.contains(Objective.LM) && !model.hasDecoder()) {
            throw new IllegalArgumentException("objectives: lm needs the text decoder, which only a mid-fusion model has (--fusion mid)");
        }
    }

    public Set<Objective> objectives() {
        return objectives;
    }

    /** The losses of one batch; {@code rng} draws the hard negatives and the masking. */
    public StepLosses forward(VlModel model, Batch b, Rng rng) {
        return forward(model, b, rng, null, 0);
    }

    /**
     * As above; with a momentum model ({@code momentum}, not null), ITC reaches over its queues and
     * ITC and MLM learn towards its soft targets mixed in at {@code alpha} (ALBEF's momentum distillation).
     */
    public StepLosses forward(VlModel model, Batch b, Rng rng, MomentumDistillation momentum, double alpha) {
        int n = b.batch(), t = b.length();
        Tensor image = model.imageTokens(b.images());              // (B, S, Cv)
        Tensor text = model.textTokens(b.ids(), b.mask(), n, t);   // (B, T, C)
        Map<String, Double> parts = new LinkedHashMap<>();
        List<Tensor> terms = new ArrayList<>();
        MomentumDistillation.Teacher teacher = momentum == null ? null : momentum.teach(b.images(), b.ids(), b.mask(), n, t);
        float[] similarity = null; // (B, B), image × text, no graph
        if (model.config().hasUnimodalEmbeddings() && (objectives.contains(Objective.ITC) || objectives.contains(Objective.ITM))) {
            Tensor imageEmbedding = model.imageEmbedding(image); // (B, E)
            Tensor textEmbedding = model.textEmbedding(text);    // (B, E)
            if (objectives.contains(Objective.ITC)) {
                Tensor itc = momentum != null
                        ? distilledContrastive(model, imageEmbedding, textEmbedding, b.matches(), teacher, momentum, alpha) // ()
                        : onlyDiagonal(b.matches(), n)
                        ? contrastive.forward(imageEmbedding, textEmbedding, model.logitScale().value())   // ()
                        : sharedPositives(imageEmbedding, textEmbedding, model.scale(), b.matches(), n);  // ()
                terms.add(itc);
                parts.put("itc", (double) itc.item());
            }
            try (var ignored = GradMode.noGrad()) {
                Tensor i = Norms.l2Normalize(imageEmbedding.detach(), -1, Norms.NORMALIZE_EPS); // (B, E)
                Tensor s = Norms.l2Normalize(textEmbedding.detach(), -1, Norms.NORMALIZE_EPS);  // (B, E)
                similarity = i.matmul(s.transpose(0, 1)).mul(model.scale().detach()).dense().toArray(); // (B, B)
            }
        }
        if (objectives.contains(Objective.ITM)) {
            Tensor itm = matching(model, image, text, b, similarity, rng, swaps); // ()
            terms.add(itm);
            parts.put("itm", (double) itm.item());
        }
        if (objectives.contains(Objective.MLM)) {
            Tensor mlm = maskedLanguage(model, image, b, rng, teacher, momentum, alpha); // ()
            terms.add(mlm);
            parts.put("mlm", (double) mlm.item());
        }
        if (objectives.contains(Objective.MRM)) {
            Tensor mrm = maskedRegions(model, text, b, rng); // ()
            terms.add(mrm);
            parts.put("mrm", (double) mrm.item());
        }
        if (objectives.contains(Objective.LM)) {
            Tensor lm = languageModelling(model, image, b); // ()
            terms.add(lm);
            parts.put("lm", (double) lm.item());
        }
        if (teacher != null) momentum.enqueue(teacher); // after ITC read the queues
        Tensor total = terms.getFirst();
        for (int k = 1; k < terms.size(); k++) total = total.add(terms.get(k)); // ()
        return new StepLosses(total, parts);
    }

    /** BLIP's captioning loss of each caption about its own image; the begin token is not predicted, nor is padding. */
    private static Tensor languageModelling(VlModel model, Tensor image, Batch b) {
        int padId = -1; // no padding: only the last position has nothing to predict
        if (b.mask() != null) {
            float[] mask = b.mask().toArray(); // (B·T)
            for (int i = 0; i < mask.length && padId < 0; i++) if (mask[i] == 0) padId = b.ids()[i];
        }
        return LanguageModelLoss.of(model, image, b.ids(), b.batch(), b.length(), 1, padId, LanguageModelLoss.BLIP_LABEL_SMOOTHING); // ()
    }

    /** Cross-entropy of the matching head on the B true pairs, up to 2B hard negatives and, with swaps, up to B word-order negatives. */
    private static Tensor matching(VlModel model, Tensor image, Tensor text, Batch b, float[] similarity, Rng rng, SwappedCaptions swaps) {
        int n = b.batch();
        int[] negativeTextOfImage = HardNegatives.draw(similarity, b.matches(), n, rng);
        int[] negativeImageOfText = HardNegatives.draw(similarity == null ? null : HardNegatives.transpose(similarity, n),
                HardNegatives.transpose(b.matches(), n), n, rng);
        List<int[]> pairs = new ArrayList<>(); // {image, text, label}
        for (int i = 0; i < n; i++) pairs.add(new int[] {i, i, 1});
        for (int j = 0; j < n; j++) if (negativeImageOfText[j] >= 0) pairs.add(new int[] {negativeImageOfText[j], j, 0});
        for (int i = 0; i < n; i++) if (negativeTextOfImage[i] >= 0) pairs.add(new int[] {i, negativeTextOfImage[i], 0});
        int m = pairs.size();
        int[] images = new int[m], texts = new int[m], labels = new int[m];
        for (int k = 0; k < m; k++) {
            images[k] = pairs.get(k)[0];
            texts[k] = pairs.get(k)[1];
            labels[k] = pairs.get(k)[2];
        }
        Tensor pairText = text.indexSelect(0, texts);                               // (M, T, C)
        Tensor pairMask = b.mask() == null ? null : b.mask().indexSelect(0, texts); // (M, T)
        int[] pairImages = images;                                                  // M rows of image (B, S, Cv)
        if (swaps != null) {
            int t = b.length();
            List<int[]> swapped = new ArrayList<>();
            List<Integer> rows = new ArrayList<>();
            for (int j = 0; j < n; j++) {
                int[] ids = swaps.swap(b.ids(), j, t, rng);
                if (ids == null) continue;
                swapped.add(ids);
                rows.add(j);
            }
            if (!swapped.isEmpty()) {
                int s = swapped.size();
                int[] ids = new int[s * t], own = rows.stream().mapToInt(Integer::intValue).toArray();
                for (int k = 0; k < s; k++) System.arraycopy(swapped.get(k), 0, ids, k * t, t);
                Tensor swapMask = b.mask() == null ? null : b.mask().indexSelect(0, own);     // (s, T)
                Tensor swapText = model.textTokens(ids, swapMask, s, t);                        // (s, T, C)
                pairText = ShapeOps.concat(0, pairText, swapText);                              // (M + s, T, C)
                pairMask = pairMask == null ? null : ShapeOps.concat(0, pairMask, swapMask);    // (M + s, T)
                pairImages = java.util.stream.IntStream.concat(java.util.Arrays.stream(images), java.util.Arrays.stream(own)).toArray();
                labels = java.util.Arrays.copyOf(labels, m + s);                                // the swapped captions do not match
            }
        }
        Tensor logits = model.matchLogits(pairText, pairMask, image, pairImages);  // (M [+ s], 2)
        return Losses.crossEntropy(logits, labels);       // ()
    }

    /** Whether the only known matches of an (n, n) batch are its true pairs. */
    static boolean onlyDiagonal(boolean[] matches, int n) {
        for (int r = 0; r < n; r++) for (int c = 0; c < n; c++) if (r != c && matches[r * n + c]) return false;
        return true;
    }

    /**
     * ITC when a batch holds pairs that match off the diagonal (an image with a caption repeated by
     * another, a part phrase true of several images): each row's target is shared equally among its
     * known matches instead of one-hot on the diagonal (BLIP's positives by image id), so a text is
     * never pushed away from an image it describes. With only the diagonal it is CLIP's loss.
     * −Σ target · log softmax(similarities · scale), averaged over rows and both directions.
     */
    static Tensor sharedPositives(Tensor imageEmbedding, Tensor textEmbedding, Tensor scale, boolean[] matches, int n) {
        Tensor i = Norms.l2Normalize(imageEmbedding, -1, Norms.NORMALIZE_EPS); // (B, E)
        Tensor t = Norms.l2Normalize(textEmbedding, -1, Norms.NORMALIZE_EPS);  // (B, E)
        Tensor i2t = i.matmul(t.transpose(0, 1)).mul(scale);                  // (B, B)
        Tensor t2i = t.matmul(i.transpose(0, 1)).mul(scale);                  // (B, B)
        Tensor i2tTargets = Tensor.of(positives(matches, n), n, n);                                     // (B, B)
        Tensor t2iTargets = Tensor.of(positives(HardNegatives.transpose(matches, n), n), n, n);   // (B, B)
        Tensor lossI2T = i2t.logSoftmax(1).mul(i2tTargets).sum(1).mean().neg(); // ()
        Tensor lossT2I = t2i.logSoftmax(1).mul(t2iTargets).sum(1).mean().neg(); // ()
        return lossI2T.add(lossT2I).mul(0.5f);                                  // ()
    }

    /** (n, n) targets: each row's known matches of an (n, n) matrix, sharing the row's unit weight equally. */
    private static float[] positives(boolean[] matches, int n) {
        float[] out = new float[n * n];
        for (int r = 0; r < n; r++) {
            int count = matchesOfRow(matches, n, r);
            for (int c = 0; c < n; c++) if (matches[r * n + c]) out[r * n + c] = 1f / count;
        }
        return out;
    }

    private static int matchesOfRow(boolean[] matches, int n, int r) {
        int count = 0;
        for (int c = 0; c < n; c++) if (matches[r * n + c]) count++;
        return count;
    }

    /**
     * ITC over the batch and the momentum queues, towards α·softmax(momentum similarities) + (1 − α)·positives
     * (each row's known matches in the batch, shared equally; the queues hold none):
     * −Σ target · log softmax(similarities · scale), averaged over rows and both directions.
     */
    private static Tensor distilledContrastive(VlModel model, Tensor imageEmbedding, Tensor textEmbedding, boolean[] matches,
                                               MomentumDistillation.Teacher teacher, MomentumDistillation momentum, double alpha) {
        Tensor imageAll = momentum.withQueue(teacher.image(), true);  // (B + Q, E), no graph
        Tensor textAll = momentum.withQueue(teacher.text(), false);   // (B + Q, E), no graph
        Tensor scale = model.scale();                                 // ()
        Tensor i = Norms.l2Normalize(imageEmbedding, -1, Norms.NORMALIZE_EPS); // (B, E)
        Tensor t = Norms.l2Normalize(textEmbedding, -1, Norms.NORMALIZE_EPS);  // (B, E)
        Tensor i2t = i.matmul(textAll.transpose(0, 1)).mul(scale);   // (B, B + Q)
        Tensor t2i = t.matmul(imageAll.transpose(0, 1)).mul(scale);  // (B, B + Q)
        Tensor i2tTargets, t2iTargets;
        try (var ignored = GradMode.noGrad()) {
            Tensor s = scale.detach();
            i2tTargets = softTargets(teacher.image().matmul(textAll.transpose(0, 1)).mul(s), alpha, matches); // (B, B + Q)
            t2iTargets = softTargets(teacher.text().matmul(imageAll.transpose(0, 1)).mul(s), alpha,
                    HardNegatives.transpose(matches, teacher.text().size(0)));                                  // (B, B + Q)
        }
        Tensor lossI2T = i2t.logSoftmax(1).mul(i2tTargets).sum(1).mean().neg(); // ()
        Tensor lossT2I = t2i.logSoftmax(1).mul(t2iTargets).sum(1).mean().neg(); // ()
        return lossI2T.add(lossT2I).mul(0.5f);                                  // ()
    }

    /** α·softmax(rows of logits (B, M)) + (1 − α)·each row's known matches among the first B columns, shared equally. */
    private static Tensor softTargets(Tensor logits, double alpha, boolean[] matches) {
        int rows = logits.size(0), cols = logits.size(1);
        float[] p = logits.softmax(1).dense().toArray(); // (B, M)
        for (int r = 0; r < rows; r++) {
            int count = matchesOfRow(matches, rows, r);
            for (int c = 0; c < cols; c++) {
                p[r * cols + c] = (float) (alpha * p[r * cols + c] + (c < rows && matches[r * rows + c] ? (1 - alpha) / count : 0));
            }
        }
        return Tensor.of(p, rows, cols);
    }

    /**
     * Cross-entropy of the masked tokens, predicted from the masked caption fused with its image; with a
     * momentum model, (1 − α)·CE + α·CE against the momentum model's distribution at the same positions.
     */
    private Tensor maskedLanguage(VlModel model, Tensor image, Batch b, Rng rng, MomentumDistillation.Teacher teacher,
                                  MomentumDistillation momentum, double alpha) {
        int n = b.batch(), t = b.length();
        MlmMasking.Masked masked = masking.mask(b.ids(), n, t, rng);
        Tensor text = model.textTokens(masked.ids(), b.mask(), n, t); // (B, T, C)
        Tensor fused = model.fuse(text, b.mask(), image);             // (B, L, C), L = T (+ S for early fusion)
        int[][] rowsAndTargets = maskedRows(masked.targets(), n, t, fused.size(1));
        int c = fused.size(2);
        Tensor logits = model.mlmLogits(fused.reshape(n * fused.size(1), c).indexSelect(0, rowsAndTargets[0])); // (N, V)
        Tensor loss = Losses.crossEntropy(logits, rowsAndTargets[1]); // ()
        if (momentum == null) return loss;
        int[] teacherRows = maskedRows(masked.targets(), n, t, t)[0]; // the momentum model fuses mid or late: text rows only
        Tensor soft = momentum.mlmTargets(masked.ids(), b.mask(), n, t, teacher.imageTokens(), teacherRows); // (N, V)
        Tensor distill = logits.logSoftmax(1).mul(soft).sum(1).mean().neg();                                 // ()
        return loss.mul((float) (1 - alpha)).add(distill.mul((float) alpha));                               // ()
    }

    /** Rows of the (B·L)-row flattened sequence whose text position has a target, and those targets. */
    private static int[][] maskedRows(int[] targets, int batch, int length, int sequence) {
        int count = 0;
        for (int target : targets) if (target != Losses.IGNORE_INDEX) count++;
        int[] rows = new int[count], wanted = new int[count];
        int k = 0;
        for (int r = 0; r < batch; r++) {
            for (int p = 0; p < length; p++) {
                int target = targets[r * length + p];
                if (target == Losses.IGNORE_INDEX) continue;
                rows[k] = r * sequence + p;
                wanted[k++] = target;
            }
        }
        return new int[][] {rows, wanted};
    }

    /**
     * Masked region modelling: {@value #MRM_RATE} of each image's patches (at least one) replaced by
     * the mask token, then each masked patch's mean-colour bin predicted and, with region labels, its
     * region class, each a mean cross-entropy, summed. They are read where the image positions were
     * last represented: the joined sequence of early fusion (the text in view), else the image
     * tower's output (mid and late fusion fuse the image into the text, not the text into the image).
     */
    private static Tensor maskedRegions(VlModel model, Tensor text, Batch b, Rng rng) {
        int n = b.batch(), p = model.config().vision().grid() * model.config().vision().grid();
        if (b.patchColours() == null || b.patchColours().length != n * p) {
            throw new IllegalArgumentException("mrm: the batch needs " + n * p + " patch colour targets");
        }
        float[] chosen = new float[n * p]; // (B, P)
        int count = 0;
        for (int i = 0; i < n; i++) {
            int here = 0;
            for (int j = 0; j < p; j++) {
                if (rng.nextDouble() < MRM_RATE) {
                    chosen[i * p + j] = 1f;
                    here++;
                }
            }
            if (here == 0) {
                chosen[i * p + rng.nextInt(p)] = 1f;
                here = 1;
            }
            count += here;
        }
        Tensor image = model.maskedImageTokens(b.images(), Tensor.of(chosen, n, p, 1)); // (B, 1+P, Cv)
        Tensor hidden;
        int offset;
        if (model.config().hasUnimodalEmbeddings()) {
            hidden = image;                                             // (B, 1+P, Cv)
            offset = 1;
        } else {
            hidden = model.fuse(text, b.mask(), image);                 // (B, T+1+P, C)
            offset = b.length() + 1;
        }
        int l = hidden.size(1), w = hidden.size(2);
        int[] rows = new int[count], colours = new int[count], regions = new int[count];
        int k = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < p; j++) {
                if (chosen[i * p + j] == 0f) continue;
                rows[k] = i * l + offset + j;
                colours[k] = b.patchColours()[i * p + j];
                regions[k++] = b.regionLabels() == null ? 0 : b.regionLabels()[i * p + j];
            }
        }
        Tensor masked = hidden.reshape(n * l, w).indexSelect(0, rows);                 // (N, W)
        Tensor loss = Losses.crossEntropy(model.patchColourLogits(masked), colours);    // ()
        if (b.regionLabels() != null) loss = loss.add(Losses.crossEntropy(model.regionLogits(masked), regions)); // ()
        return loss;
    }
}
