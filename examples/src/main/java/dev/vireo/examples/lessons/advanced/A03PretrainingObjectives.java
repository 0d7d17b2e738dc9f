package dev.vireo.examples.lessons.advanced;

import dev.vireo.engine.tensor.GradMode;
import dev.vireo.engine.tensor.Rng;
import dev.vireo.engine.tensor.Tensor;
import dev.vireo.examples.lessons.Lesson;
import dev.vireo.models.data.shapes.ShapeColour;
import dev.vireo.models.data.shapes.ShapeKind;
import dev.vireo.models.eval.VlEvaluator;
import dev.vireo.models.text.TokenBatch;
import dev.vireo.models.train.PatchColours;
import dev.vireo.models.train.ShapesData;
import dev.vireo.models.train.VlTrainer;
import dev.vireo.models.vl.HardNegatives;
import dev.vireo.models.vl.MlmMasking;
import dev.vireo.models.vl.VlModel;
import dev.vireo.models.vl.VlRuns;
import dev.vireo.models.vl.VlScorer;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Advanced 3: what each pretraining objective teaches. ITC pulls an image's embedding towards its
 * caption's; ITM trains the fused [CLS] to tell a true pair from a hard negative (drawn in
 * proportion to the contrastive similarity, never a known match); MLM predicts masked words with
 * the picture in view (BERT's 80/10/10: [MASK], a random word, the word kept); MRM predicts masked
 * patches' colour. The lesson checks the two samplers' statistics, then pretrains two small
 * mid-fusion models for the same steps, one with ITC and MRM, one with ITM and MLM, and probes both
 * for every skill: a skill comes from its own objective. Checks: the 80/10/10 split within 2
 * points; hard negatives never a match and drawn ∝ exp(similarity); the MRM probe (and in the full
 * run the ITC and MLM probes) better with its objective than without. ITM stays near chance in a minute.
 */
public final class A03PretrainingObjectives implements Lesson {

    @Override
    public boolean run(Context ctx) throws Exception {
        PrintStream out = ctx.out();
        boolean ok = true;

        // region train
        // Step 1: two short runs on the same scenes and budget, with complementary objectives.
        ShapesData train = TinyVl.scenes(true, ctx.quick() ? 200 : 4000);
        int steps = ctx.quick() ? 20 : 200, batch = ctx.quick() ? 8 : 32;
        VlRuns.Loaded contrastive = TinyVl.trained(new TinyVl.Run("mid", "itc,mrm", steps, batch, false, false), train, "train");
        VlRuns.Loaded fused = TinyVl.trained(new TinyVl.Run("mid", "itm,mlm", steps, batch, false, false), train, "train");
        out.printf("two mid-fusion models, %d steps of %d: one with itc,mrm, one with itm,mlm%n", steps, batch);
        // endregion train

        // region masking
        // Step 2: MLM's masking. Of the words chosen (15%, never [CLS], [SEP], [PAD]), 80% become [MASK],
        // 10% a random word and 10% stay: the model cannot tell a kept word is a target, so it must
        // represent every word, not only the masked ones.
        MlmMasking masking = VlTrainer.masking(fused.tokenizer());
        List<String> captions = new ArrayList<>();
        for (int i = 0; i < train.size(); i++) captions.addAll(train.captions(i));
        TokenBatch tokens = fused.tokenizer().batch(captions, 32, true);
        MlmMasking.Masked masked = masking.mask(tokens.ids(), tokens.batch(), tokens.length(), new Rng(1));
        int maskedCount = 0, randomCount = 0, keptCount = 0, eligible = 0;
        for (int k = 0; k < tokens.ids().length; k++) {
            int id = tokens.ids()[k];
            boolean special = id == fused.tokenizer().clsId() || id == fused.tokenizer().sepId() || id == fused.tokenizer().padId();
            if (!special) eligible++;
            if (masked.targets()[k] < 0) continue;
            if (masked.ids()[k] == fused.tokenizer().maskId()) maskedCount++;
            else if (masked.ids()[k] == id) keptCount++;
            else randomCount++;
        }
        int chosen = masked.count();
        out.printf("MLM chose %.1f%% of %,d words (15%%, and at least one per caption): %.1f%% [MASK], %.1f%% random, %.1f%% kept%n",
                100.0 * chosen / eligible, eligible,
                100.0 * maskedCount / chosen, 100.0 * randomCount / chosen, 100.0 * keptCount / chosen);
        ok &= ctx.check("80/10/10 within 2 points", Math.abs(maskedCount / (double) chosen - 0.8) < 0.02
                && Math.abs(randomCount / (double) chosen - 0.1) < 0.02 && Math.abs(keptCount / (double) chosen - 0.1) < 0.02);
        // endregion masking

        // region negatives
        // Step 3: ITM's hard negatives. For one row of similarities, count which column is drawn: never the
        // match, and each other column in proportion to exp(similarity), so look-alikes are drawn most.
        float[] similarity = {5f, 4f, 2f, 0f};            // (1, 4): column 0 is the true pair
        boolean[] matches = {true, false, false, false, true, false, false, false, true, false, false, false, true, false, false, false};
        float[] square = new float[16];                    // (4, 4): only row 0 is read below
        System.arraycopy(similarity, 0, square, 0, 4);
        int[] drawn = new int[4];
        Rng rng = new Rng(2);
        int draws = 20_000;
        for (int k = 0; k < draws; k++) drawn[HardNegatives.draw(square, matches, 4, rng)[0]]++;
        double z = Math.exp(4) + Math.exp(2) + Math.exp(0);
        out.printf("negatives drawn for similarities %s: %s (expected %.3f, %.3f, %.3f for columns 1-3)%n", Arrays.toString(similarity),
                Arrays.toString(drawn), Math.exp(4) / z, Math.exp(2) / z, 1 / z);
        ok &= ctx.check("the true pair is never drawn as a negative", drawn[0] == 0);
        ok &= ctx.check("each negative drawn in proportion to exp(similarity), within 1 point",
                Math.abs(drawn[1] / (double) draws - Math.exp(4) / z) < 0.01 && Math.abs(drawn[2] / (double) draws - Math.exp(2) / z) < 0.01);
        // endregion negatives

        // region probe
        // Step 4: probe both models for each skill on held-out scenes. ITC: does the image's embedding lie
        // closer to its own caption than to another scene's? ITM: does the matching head prefer the own
        // caption? MRM: the colour of masked patches. MLM: masked colour and shape words.
        ShapesData test = TinyVl.scenes(false, ctx.quick() ? 40 : 200);
        out.printf("%n%-10s %14s %14s %14s %14s%n", "trained", "ITC ranking", "ITM ranking", "MRM colour", "MLM words");
        double[][] probes = new double[2][];
        String[] names = {"itc,mrm", "itm,mlm"};
        VlRuns.Loaded[] models = {contrastive, fused};
        for (int m = 0; m < 2; m++) {
            probes[m] = probe(models[m], test);
            out.printf("%-10s %13.1f%% %13.1f%% %13.1f%% %13.1f%%%n", names[m], 100 * probes[m][0], 100 * probes[m][1], 100 * probes[m][2],
                    100 * probes[m][3]);
        }
        if (!ctx.quick()) { // twenty steps teach ITC and MLM nothing yet
            ok &= ctx.check("ITC teaches the embeddings to rank the own caption first (30 points over without)", probes[0][0] > probes[1][0] + 0.30);
            ok &= ctx.check("MLM teaches the masked colour and shape words (5 points over without)", probes[1][3] > probes[0][3] + 0.05);
        }
        ok &= ctx.check("MRM teaches the colour of a hidden patch (30 points over without)", probes[0][2] > probes[1][2] + 0.30);
        // endregion probe
        return ok;
    }

    /** {ITC ranking, ITM ranking, MRM colour accuracy, MLM word accuracy} of a model on held-out scenes. */
    static double[] probe(VlRuns.Loaded loaded, ShapesData test) {
        VlModel model = loaded.model();
        VlScorer scorer = new VlScorer(model, loaded.tokenizer());
        VlEvaluator eval = new VlEvaluator(scorer);
        VlScorer.Images images = eval.images(test);
        int n = test.size();
        List<String> captions = new ArrayList<>(n);
        for (int i = 0; i < n; i++) captions.add(test.captions(i).getFirst());
        VlScorer.Texts texts = scorer.encodeTexts(captions);
        float[] cosine = scorer.cosine(images, texts); // (N, N)
        int[] image = new int[2 * n], text = new int[2 * n];
        for (int i = 0; i < n; i++) {
            image[2 * i] = image[2 * i + 1] = i;
            text[2 * i] = i;
            text[2 * i + 1] = other(test, i);
        }
        float[] match = scorer.matchProbabilities(images, texts, image, text); // (2N)
        int itc = 0, itm = 0;
        for (int i = 0; i < n; i++) {
            if (cosine[i * n + i] > cosine[i * n + other(test, i)]) itc++;
            if (match[2 * i] > match[2 * i + 1]) itm++;
        }
        Set<String> colourAndShapeWords = new LinkedHashSet<>();
        for (ShapeColour c : ShapeColour.values()) colourAndShapeWords.add(c.word());
        for (ShapeKind k : ShapeKind.values()) colourAndShapeWords.add(k.word());
        double words = eval.maskedWords(test, images, Map.of("words", colourAndShapeWords)).get("all");
        return new double[] {itc / (double) n, itm / (double) n, patchColours(model, test), words};
    }

    /** A scene whose first caption differs from scene i's: the next one that does. */
    private static int other(ShapesData test, int i) {
        int j = (i + 1) % test.size();
        while (test.captions(j).getFirst().equals(test.captions(i).getFirst())) j = (j + 1) % test.size();
        return j;
    }

    /** Accuracy of the MRM colour head on every fourth patch of each picture, hidden by the mask token. */
    private static double patchColours(VlModel model, ShapesData test) {
        int n = test.size(), side = test.imageSize(), patch = model.config().vision().patchSize(), p = (side / patch) * (side / patch);
        float[] pixels = new float[n * 3 * side * side]; // (N, 3, S, S)
        for (int i = 0; i < n; i++) test.image(i, pixels, i * 3 * side * side);
        int[] bins = PatchColours.bins(pixels, n, side, patch);
        float[] chosen = new float[n * p]; // (N, P)
        for (int k = 0; k < chosen.length; k += 4) chosen[k] = 1f;
        int right = 0, total = 0;
        try (var ignored = GradMode.noGrad()) {
            Tensor tokens = model.maskedImageTokens(Tensor.of(pixels, n, 3, side, side), Tensor.of(chosen, n, p, 1)); // (N, 1+P, Cv)
            int l = tokens.size(1), w = tokens.size(2);
            int[] rows = new int[n * p / 4 + n];
            int m = 0;
            for (int k = 0; k < chosen.length; k += 4) rows[m++] = (k / p) * l + 1 + k % p;
            int[] guess = VlScorer.argmax(model.patchColourLogits(tokens.reshape(n * l, w).indexSelect(0, Arrays.copyOf(rows, m)))
                    .dense().toArray(), m);
            m = 0;
            for (int k = 0; k < chosen.length; k += 4) {
                right += guess[m++] == bins[k] ? 1 : 0;
                total++;
            }
        }
        return right / (double) total;
    }

    public static void main(String[] args) throws Exception {
        Lesson.main(new A03PretrainingObjectives(), args);
    }
}
