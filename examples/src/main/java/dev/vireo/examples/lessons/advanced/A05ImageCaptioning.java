package dev.vireo.examples.lessons.advanced;

import dev.vireo.engine.tensor.GradMode;
import dev.vireo.engine.tensor.Tensor;
import dev.vireo.examples.lessons.Lesson;
import dev.vireo.examples.plot.ImageGrid;
import dev.vireo.models.caption.CaptionModel;
import dev.vireo.models.caption.CaptionRuns;
import dev.vireo.models.caption.ImageCaptioner;
import dev.vireo.models.caption.TrainedCaptioner;
import dev.vireo.models.config.BertConfig;
import dev.vireo.models.config.CaptionConfig;
import dev.vireo.models.config.VisionConfig;
import dev.vireo.models.data.CaptionCandidate;
import dev.vireo.models.data.shapes.ShapeScene;
import dev.vireo.models.data.shapes.ShapesWorld;
import dev.vireo.models.eval.BleuScore;
import dev.vireo.models.eval.CaptionMetrics;
import dev.vireo.models.eval.CaptionTokenizer;
import dev.vireo.models.eval.CiderD;
import dev.vireo.models.generate.Decoder;
import dev.vireo.models.generate.GenerationConfig;
import dev.vireo.models.image.RgbImage;
import dev.vireo.models.train.CaptionTrainer;
import dev.vireo.models.train.ClipTrainer;
import dev.vireo.models.train.ShapesData;
import dev.vireo.models.train.TrainConfig;
import dev.vireo.models.text.WordPieceTokenizer;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Advanced 5: image captioning. A tiny BLIP-style captioner (a ViT whose patch tokens a causal BERT
 * decoder cross-attends to) is trained on one-shape scenes with {@link CaptionTrainer}; the same
 * held-out pictures are then captioned three ways — greedy, beam search, nucleus sampling — and each
 * way is scored by the caption's log-probability under the model and by the COCO metrics BLEU and
 * CIDEr-D, which are then recomputed by hand on one caption to show what they count.
 * Checks: BLEU by hand equals {@link BleuScore}; greedy and beam search find far likelier captions
 * than sampling, which writes several different captions where they write one; the trained
 * captioner scores a CIDEr-D well above a caption that names no colour or shape.
 */
public final class A05ImageCaptioning implements Lesson {
    private static final int SIDE = 32;
    private static final int MAX_NEW_TOKENS = 12;
    /** The shortest caption, [CLS] included: "a red star" and [SEP]. */
    private static final int MIN_LENGTH = 4;

    @Override
    public boolean run(Context ctx) throws Exception {
        PrintStream out = ctx.out();
        boolean ok = true;
        boolean quick = ctx.quick();

        // Step 1: train the tiny captioner (see train() below) and load it from its run folder, with its vocabulary.
        CaptionRuns.Loaded loaded = train(quick, ctx.outputDir().resolve("a05_run"), out);
        CaptionModel model = loaded.model();
        WordPieceTokenizer tokenizer = loaded.tokenizer();
        TrainedCaptioner captioner = new TrainedCaptioner(model, tokenizer, loaded.prompt());

        // region decode
        // Step 2: caption the same held-out pictures three ways.
        ShapesData test = ShapesData.split(false, quick ? 10 : 60, new ShapesWorld.Config(SIDE, 1, 1));
        Tensor pixels = pixels(test);                                                        // (N, 3, S, S)
        // every caption has at least MIN_LENGTH tokens, [CLS] included ([SEP] is suppressed until then), as BLIP asks for 5
        GenerationConfig greedy = new GenerationConfig(MAX_NEW_TOKENS, MIN_LENGTH, 1, 1.0, false, false, 0, 1.0, 1.0, 1.0, 0);
        // beam search keeps the 4 best prefixes; length penalty 0 ranks them by their summed log-probability, and without
        // early stopping it goes on while an unfinished prefix is still more likely than the worst finished caption
        GenerationConfig beam = new GenerationConfig(MAX_NEW_TOKENS, MIN_LENGTH, 4, 0.0, false, false, 0, 1.0, 1.0, 1.0, 0);
        Map<String, List<ImageCaptioner.Caption>> decoded = new LinkedHashMap<>();            // text and token ids of each caption
        decoded.put("greedy", captioner.captionPixels(pixels, "", greedy));
        decoded.put("beam-4", captioner.captionPixels(pixels, "", beam));
        List<List<String>> samples = new ArrayList<>();                                      // nucleus sampling, three seeds
        for (long seed = 1; seed <= 3; seed++) {
            // keep the smallest set of tokens holding 90% of the probability, draw at temperature 1
            GenerationConfig nucleus = new GenerationConfig(MAX_NEW_TOKENS, MIN_LENGTH, 1, 1.0, false, true, 0, 0.9, 1.0, 1.0, seed);
            List<ImageCaptioner.Caption> sampled = captioner.captionPixels(pixels, "", nucleus);
            if (seed == 1) decoded.put("nucleus p=0.9", sampled);
            samples.add(texts(sampled));
        }
        Map<String, List<String>> captions = new LinkedHashMap<>();
        decoded.forEach((way, c) -> captions.put(way, texts(c)));
        out.println("\nthe first four held-out pictures:");
        for (int i = 0; i < 4; i++) {
            out.printf("  references: %s%n", test.captions(i).subList(0, 2));
            for (var e : captions.entrySet()) out.printf("    %-14s %s%n", e.getKey(), e.getValue().get(i));
            out.printf("    %-14s %s | %s%n", "other samples", samples.get(1).get(i), samples.get(2).get(i));
        }
        // endregion decode

        // region likelihood
        // Step 3: how likely each caption is under the model: the sum of its tokens' log-probabilities.
        out.printf("%n%-14s %14s %8s %8s %8s%n", "decoding", "mean log p", "BLEU-4", "CIDEr-D", "distinct");
        Map<String, double[]> logProbability = new LinkedHashMap<>();                        // per picture
        for (var e : captions.entrySet()) {
            double[] lp = logProbabilities(model, tokenizer, pixels, decoded.get(e.getKey()));
            Map<String, Double> m = CaptionMetrics.evaluate(candidates(test, e.getValue())).corpus();
            logProbability.put(e.getKey(), lp);
            out.printf("%-14s %14.3f %8.3f %8.3f %8d%n", e.getKey(), mean(lp), m.get("Bleu_4"), m.get("CIDEr"), new HashSet<>(e.getValue()).size());
        }
        int likelier = 0, lessLikely = 0;                                                    // beam against greedy, picture by picture
        double[] g = logProbability.get("greedy"), b = logProbability.get("beam-4");
        for (int i = 0; i < g.length; i++) {
            if (b[i] > g[i] + 1e-6) likelier++;
            else if (b[i] < g[i] - 1e-6) lessLikely++;
        }
        out.printf("beam search found a likelier caption than greedy for %d pictures, a less likely one for %d"
                + " (greedy's prefix fell out of its 4 beams on the way), the same caption for the rest%n", likelier, lessLikely);
        int varied = 0;                                                                      // pictures whose three samples differ
        for (int i = 0; i < test.size(); i++) {
            if (new HashSet<>(List.of(samples.get(0).get(i), samples.get(1).get(i), samples.get(2).get(i))).size() > 1) varied++;
        }
        out.printf("sampling wrote different captions for %d of %d pictures over three seeds; greedy and beam always write one%n", varied, test.size());
        double sampled = mean(logProbability.get("nucleus p=0.9"));
        ok &= ctx.check("greedy and beam captions are at least e times likelier than sampled ones (mean log p 1 higher)",
                mean(g) >= sampled + 1 && mean(b) >= sampled + 1);
        ok &= ctx.check("nucleus sampling varies the caption of at least a fifth of the pictures", varied * 5 >= test.size());
        // endregion likelihood

        // region bleu-by-hand
        // Step 4: BLEU by hand for the first picture's greedy caption: clipped n-gram precisions and the brevity penalty.
        String candidate = CaptionTokenizer.tokenize(captions.get("greedy").getFirst());
        List<String> references = test.captions(0).stream().map(CaptionTokenizer::tokenize).toList();
        double bleu4 = bleuByHand(candidate, references, out);
        double library = BleuScore.compute(List.of(references), List.of(candidate)).perImage()[0][3];
        out.printf("BLEU-4 by hand %.9f, BleuScore %.9f%n", bleu4, library);
        ok &= ctx.check("BLEU-4 by hand equals BleuScore", Math.abs(bleu4 - library) < 1e-9);
        // endregion bleu-by-hand

        // region cider
        // Step 5: CIDEr-D weighs n-grams by rarity (TF-IDF over the corpus's references): "a" and "shape" say nothing.
        List<List<String>> allReferences = new ArrayList<>();
        for (int i = 0; i < test.size(); i++) allReferences.add(test.captions(i).stream().map(CaptionTokenizer::tokenize).toList());
        List<String> vague = new ArrayList<>(), greedyTokens = new ArrayList<>();
        for (int i = 0; i < test.size(); i++) {
            vague.add("a picture of a shape");
            greedyTokens.add(CaptionTokenizer.tokenize(captions.get("greedy").get(i)));
        }
        double vagueCider = mean(CiderD.compute(allReferences, vague)), greedyCider = mean(CiderD.compute(allReferences, greedyTokens));
        out.printf("CIDEr-D of 'a picture of a shape' for every picture: %.3f; of the greedy captions: %.3f%n", vagueCider, greedyCider);
        double margin = quick ? 0.2 : 1.5;
        ok &= ctx.check("the greedy captions beat the vague caption's CIDEr-D by at least " + margin, greedyCider >= vagueCider + margin);
        // endregion cider

        writeGrid(ctx.file("a05_captions.png"), test, captions);
        out.printf("captions of the first eight pictures: %s%n", ctx.outputDir().resolve("a05_captions.png"));
        return ok;
    }

    /** Trains the lesson's captioner on one-shape scenes: a few seconds in quick mode, under a minute in full. */
    static CaptionRuns.Loaded train(boolean quick, Path runDir, PrintStream out) throws IOException {
        // region train
        // A ViT of 8×8 patches of 4 px, and a 2-layer decoder of width 48 (causal self-attention, cross-attention, MLP).
        VisionConfig vision = new VisionConfig(SIDE, 4, 48, 2, 2, 4.0, "gelu");
        BertConfig decoder = new BertConfig(512, 48, 2, 2, 192, 24, 0, 1e-12, "gelu", false);
        CaptionConfig config = new CaptionConfig("a05-captioner", vision, decoder);
        ShapesData train = ShapesData.split(true, quick ? 1200 : 4000, new ShapesWorld.Config(SIDE, 1, 1));
        int steps = quick ? 50 : 400;
        TrainConfig cfg = TrainConfig.builder().steps(steps).batch(quick ? 24 : 32).lr(3e-3).warmup(steps / 10).outDir(runDir).checkpointEvery(0).build();
        ClipTrainer.Result<CaptionModel> r = CaptionTrainer.train(config, train, "", cfg);
        out.printf("trained a captioner of %,d parameters for %d steps of %d: loss %.3f → %.3f in %.1f s%n", r.model().parameterCount(),
                steps, cfg.batch(), r.losses().getFirst()[1], r.losses().getLast()[1], r.seconds());
        // endregion train
        return CaptionRuns.load(runDir);
    }

    /**
     * Each picture's log p(caption | picture): the decoder is fed each caption's own token
     * ids one by one (the prompt [CLS] first) and the log-softmax of the token that follows is summed,
     * up to and including [SEP] (or the last token, if the caption ran out of room).
     */
    static double[] logProbabilities(CaptionModel model, WordPieceTokenizer tokenizer, Tensor pixels, List<ImageCaptioner.Caption> captions) {
        int n = captions.size(), promptLength = 1;                                           // every caption starts with [CLS]
        try (var ignored = GradMode.noGrad()) {
            Decoder decoder = model.decoder(model.imageTokens(pixels));                     // image tokens (N, P + 1, Cv)
            int vocab = decoder.vocabSize();
            int[] starts = new int[n];
            for (int i = 0; i < n; i++) starts[i] = captions.get(i).ids()[0];
            float[] logits = decoder.prefill(starts, n, promptLength);                     // (N, V)
            int[][] tokens = new int[n][];
            int longest = 0;
            for (int i = 0; i < n; i++) {
                tokens[i] = generated(tokenizer, captions.get(i).ids(), promptLength);
                longest = Math.max(longest, tokens[i].length);
            }
            double[] total = new double[n];
            for (int step = 0; step < longest; step++) {
                int[] next = new int[n];
                for (int i = 0; i < n; i++) {
                    next[i] = step < tokens[i].length ? tokens[i][step] : tokenizer.padId();  // a finished row is fed padding, not counted
                    if (step < tokens[i].length) total[i] += logSoftmax(logits, i * vocab, vocab, next[i]);
                }
                if (step + 1 < longest) logits = decoder.step(next);                       // (N, V)
            }
            return total;
        }
    }

    /** The tokens decoding produced after the prompt, up to and including [SEP] (padding after it dropped). */
    private static int[] generated(WordPieceTokenizer tokenizer, int[] ids, int promptLength) {
        int end = promptLength;
        while (end < ids.length && ids[end] != tokenizer.sepId()) end++;
        return java.util.Arrays.copyOfRange(ids, promptLength, Math.min(ids.length, end + 1));
    }

    private static double logSoftmax(float[] logits, int offset, int vocab, int token) {
        double max = Double.NEGATIVE_INFINITY;
        for (int v = 0; v < vocab; v++) max = Math.max(max, logits[offset + v]);
        double sum = 0;
        for (int v = 0; v < vocab; v++) sum += Math.exp(logits[offset + v] - max);
        return logits[offset + token] - max - Math.log(sum);
    }

    /** BLEU-4 of one tokenised caption, printing each order's clipped matches and the brevity penalty. */
    static double bleuByHand(String candidate, List<String> references, PrintStream out) {
        String[] words = candidate.split(" ");
        out.printf("%ncandidate: \"%s\"%n", candidate);
        double logSum = 0;
        for (int n = 1; n <= 4; n++) {
            Map<String, Integer> mine = ngrams(words, n), most = new LinkedHashMap<>();
            for (String ref : references) ngrams(ref.split(" "), n).forEach((g, c) -> most.merge(g, c, Math::max));
            int clipped = 0, total = Math.max(0, words.length - n + 1);
            for (var e : mine.entrySet()) clipped += Math.min(e.getValue(), most.getOrDefault(e.getKey(), 0)); // at most as often as in one reference
            double precision = (clipped + 1e-15) / (total + 1e-9);                            // the reference code's tiny smoothing
            logSum += Math.log(precision);
            out.printf("  %d-grams: %d of %d appear in a reference, precision %.3f%n", n, clipped, total, precision);
        }
        int closest = -1;                                                                   // the reference length nearest the candidate's
        for (String ref : references) {
            int len = ref.split(" ").length;
            int d = Math.abs(len - words.length);
            if (closest < 0 || d < Math.abs(closest - words.length) || (d == Math.abs(closest - words.length) && len < closest)) closest = len;
        }
        double ratio = (words.length + 1e-15) / (closest + 1e-9);
        double brevity = ratio < 1 ? Math.exp(1 - 1 / ratio) : 1;
        out.printf("  length %d, closest reference %d: brevity penalty %.3f%n", words.length, closest, brevity);
        return brevity * Math.exp(logSum / 4);                                              // geometric mean of the four precisions
    }

    private static Map<String, Integer> ngrams(String[] words, int n) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (int i = 0; i + n <= words.length; i++) counts.merge(String.join(" ", java.util.Arrays.copyOfRange(words, i, i + n)), 1, Integer::sum);
        return counts;
    }

    private static Tensor pixels(ShapesData data) {
        int per = 3 * SIDE * SIDE;
        float[] pixels = new float[data.size() * per];                                      // (N, 3, S, S)
        for (int i = 0; i < data.size(); i++) data.image(i, pixels, i * per);
        return Tensor.of(pixels, data.size(), 3, SIDE, SIDE);
    }

    private static List<String> texts(List<ImageCaptioner.Caption> captions) {
        return captions.stream().map(ImageCaptioner.Caption::text).toList();
    }

    private static List<CaptionCandidate> candidates(ShapesData test, List<String> captions) {
        List<CaptionCandidate> items = new ArrayList<>();
        for (int i = 0; i < captions.size(); i++) items.add(new CaptionCandidate(Integer.toString(i), test.captions(i), captions.get(i)));
        return items;
    }

    private static double mean(double[] values) {
        double sum = 0;
        for (double v : values) sum += v;
        return sum / values.length;
    }

    /** The first eight pictures, each with its greedy, beam and sampled caption. */
    private static void writeGrid(Path file, ShapesData test, Map<String, List<String>> captions) {
        List<ImageGrid.Row> rows = new ArrayList<>();
        for (var e : captions.entrySet()) {
            List<RgbImage> images = new ArrayList<>();
            List<String> texts = new ArrayList<>();
            for (int i = 0; i < Math.min(4, test.size()); i++) {
                ShapeScene scene = test.scenes().get(i);
                images.add(new RgbImage(SIDE, SIDE, scene.renderRgb()));
                texts.add(e.getValue().get(i));
            }
            rows.add(new ImageGrid.Row(e.getKey(), images, texts));
        }
        ImageGrid.save(file, "A05: one picture, three decodings", rows, 128);
    }

    public static void main(String[] args) throws Exception {
        Lesson.main(new A05ImageCaptioning(), args);
    }
}
