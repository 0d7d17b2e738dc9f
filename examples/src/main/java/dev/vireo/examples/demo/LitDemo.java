package dev.vireo.examples.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.vireo.engine.parallel.ComputePool;
import dev.vireo.examples.data.FetchedDatasets;
import dev.vireo.examples.plot.LinePlot;
import dev.vireo.examples.train.RunReports;
import dev.vireo.models.SentenceEncoder;
import dev.vireo.models.clip.ClipModel;
import dev.vireo.models.config.ClipConfig;
import dev.vireo.models.config.LitConfig;
import dev.vireo.models.config.TextConfig;
import dev.vireo.models.data.LabelledImage;
import dev.vireo.models.eval.ClipEvaluator;
import dev.vireo.models.eval.LitEvaluator;
import dev.vireo.models.lit.LitModel;
import dev.vireo.models.lit.LockedTextTower;
import dev.vireo.models.text.ClipTokenizer;
import dev.vireo.models.train.ClipTrainer;
import dev.vireo.models.train.LabelledImageData;
import dev.vireo.models.train.LitTrainer;
import dev.vireo.models.train.TrainConfig;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The LiT demo: on Fashion-MNIST, an image tower learns to meet the locked, pretrained MiniLM text
 * tower (LiT), and the same image tower learns with a text tower from scratch on the same captions
 * and step budget. Both are tested zero-shot on the 10,000 test images twice: with the class names
 * they trained on, and with names and descriptions they never saw ({@link FashionPrompts}). Only the
 * pretrained tower can read the second list.
 */
public final class LitDemo {
    /** The sizes of a run; {@code trainImages} of Fashion-MNIST's 60,000 training images. */
    public record Settings(int steps, int batch, double lr, int trainImages, long seed, Path runDir) {}

    /** Zero-shot top-1 of one model with the training names and with the unseen ones. */
    public record Accuracy(double seenNames, double unseenNames) {
        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("seen_names", seenNames);
            m.put("unseen_names", unseenNames);
            return m;
        }
    }

    /** What a demo run reports. */
    public record Outcome(Path runDir, Accuracy lit, Accuracy scratchText, double matchedPromptCeiling, double seconds) {}

    private static final String MODEL = "lit-minilm";
    private LitDemo() {}

    /** The baseline: {@code lit}'s image tower and joint width with CLIP's tiny text tower from scratch (BPE, causal, 2 layers of 64). */
    public static ClipConfig scratchBaseline(LitConfig lit) {
        return new ClipConfig("scratch-text", lit.embedDim(), lit.vision(), new TextConfig(16, 49408, 64, 2, 2, 4.0, "gelu"));
    }

    public static Settings defaults(Path runDir) {
        return new Settings(4000, 128, 2e-3, 60_000, 0, runDir);
    }

    public static Outcome run(Settings s, Path dataDir, PrintStream out) throws IOException {
        long t0 = System.nanoTime();
        LitConfig lit = LitConfig.create(MODEL);
        int side = lit.vision().imageSize();
        List<LabelledImage> trainImages = FetchedDatasets.fashionMnist(dataDir, true);
        trainImages = trainImages.subList(0, Math.min(s.trainImages(), trainImages.size()));
        LabelledImageData train = new LabelledImageData(trainImages, FashionPrompts.CLASS_NAMES, FashionPrompts.TEMPLATES, side);
        LabelledImageData test = new LabelledImageData(FetchedDatasets.fashionMnist(dataDir, false),
                FashionPrompts.CLASS_NAMES, FashionPrompts.TEMPLATES, side);
        List<List<String>> seen = FashionPrompts.seen(), unseen = FashionPrompts.unseen();
        out.printf("Fashion-MNIST: %,d training images, %,d test images, %d caption templates, %d threads%n",
                train.size(), test.size(), FashionPrompts.TEMPLATES.size(), ComputePool.global().threads());
        Files.createDirectories(s.runDir());
        TrainConfig cfg = TrainConfig.builder().steps(s.steps()).batch(s.batch()).lr(s.lr()).warmup(Math.min(100, s.steps() / 10))
                .seed(s.seed()).checkpointEvery(0).outDir(s.runDir().resolve("lit")).build();

        try (SentenceEncoder minilm = FetchedDatasets.minilm(dataDir)) {
            LockedTextTower tower = new LockedTextTower(minilm::encode, minilm.dimension());
            out.printf("%n1/2 LiT: image tower from scratch, MiniLM locked, for %d steps of %d%n", s.steps(), s.batch());
            ClipTrainer.Result<LitModel> litRun = LitTrainer.train(lit, tower, train, cfg, RunReports.standard(out, false));
            litRun.model().eval();
            LitEvaluator litEval = new LitEvaluator(litRun.model(), tower);
            float[] litImages = litEval.imageEmbeddings(test); // (N, E)
            Accuracy litAcc = new Accuracy(litEval.zeroShot(litImages, test.size(), seen, test.labels())[0],
                    litEval.zeroShot(litImages, test.size(), unseen, test.labels())[0]);
            out.printf("LiT zero-shot top-1: seen names %.1f%%, unseen names %.1f%%%n", 100 * litAcc.seenNames(), 100 * litAcc.unseenNames());
            double ceiling = matchedPromptCeiling(litEval, seen, unseen, lit.embedDim());

            ClipConfig scratch = scratchBaseline(lit);
            out.printf("%n2/2 baseline: the same image tower with a text tower from scratch, same captions and steps%n");
            ClipTrainer.Result<ClipModel> scratchRun = ClipTrainer.train(scratch, train,
                    cfg.toBuilder().outDir(s.runDir().resolve("scratch_text")).build(), RunReports.standard(out, false));
            scratchRun.model().eval();
            ClipEvaluator clipEval = new ClipEvaluator(scratchRun.model(), ClipTokenizer.openai());
            float[] clipImages = clipEval.imageEmbeddings(test); // (N, E)
            Accuracy scratchAcc = new Accuracy(clipEval.zeroShot(clipImages, test.size(), seen, test.labels())[0],
                    clipEval.zeroShot(clipImages, test.size(), unseen, test.labels())[0]);
            out.printf("Scratch-text zero-shot top-1: seen names %.1f%%, unseen names %.1f%%%n",
                    100 * scratchAcc.seenNames(), 100 * scratchAcc.unseenNames());

            double seconds = (System.nanoTime() - t0) / 1e9;
            Outcome o = new Outcome(s.runDir(), litAcc, scratchAcc, ceiling, seconds);
            writeMetrics(s, o, litRun, scratchRun);
            writeUnseenNames(s.runDir().resolve("unseen_names.json"));
            plotLosses(s.runDir().resolve("loss.png"), litRun, scratchRun);
            return o;
        }
    }

    /**
     * The score of an image tower that put every image exactly on its class's training prompts: the
     * share of classes whose unseen prompts lie nearest their own class's seen prompts in the
     * model's text space. A measure of how hard the unseen names are, not a bound on the test.
     */
    private static double matchedPromptCeiling(LitEvaluator eval, List<List<String>> seen, List<List<String>> unseen, int e) {
        float[] seenClasses = ClipEvaluator.classEmbeddings(seen, e, eval::textEmbeddings); // (C, E)
        int[] labels = new int[seen.size()];
        for (int c = 0; c < labels.length; c++) labels[c] = c;
        return eval.zeroShot(seenClasses, seen.size(), unseen, labels)[0];
    }

    private static void writeMetrics(Settings s, Outcome o, ClipTrainer.Result<?> lit, ClipTrainer.Result<?> scratch) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>(); // in this order on every run (Map.of's order is salted per JVM)
        m.put("zeroshot", o.lit().toMap());
        m.put("baseline_scratch_text", o.scratchText().toMap());
        m.put("matched_prompt_ceiling_unseen", o.matchedPromptCeiling());
        Map<String, Object> training = new LinkedHashMap<>();
        training.put("model", MODEL);
        training.put("steps", s.steps());
        training.put("batch", s.batch());
        training.put("lr", s.lr());
        training.put("train_images", s.trainImages());
        training.put("test_images", 10_000);
        training.put("templates", FashionPrompts.TEMPLATES);
        training.put("lit_seconds", lit.seconds());
        training.put("scratch_text_seconds", scratch.seconds());
        training.put("total_seconds", o.seconds());
        training.put("threads", ComputePool.global().threads());
        m.put("training", training);
        Files.writeString(s.runDir().resolve("metrics.json"), new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(m));
    }

    /** The unseen names by the class they stand for, and the templates they were put in. */
    private static void writeUnseenNames(Path file) throws IOException {
        Map<String, Object> names = new LinkedHashMap<>();
        for (int c = 0; c < FashionPrompts.CLASS_NAMES.size(); c++) {
            names.put(FetchedDatasets.FASHION_MNIST_CLASSES.get(c), FashionPrompts.UNSEEN_NAMES.get(c));
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("unseen_names", names);
        doc.put("templates", FashionPrompts.TEMPLATES);
        Files.writeString(file, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(doc));
    }

    private static void plotLosses(Path file, ClipTrainer.Result<?> lit, ClipTrainer.Result<?> scratch) {
        LinePlot plot = new LinePlot("Contrastive loss on Fashion-MNIST", "step", "loss");
        for (var run : List.of(Map.entry("LiT (MiniLM locked)", lit), Map.entry("text from scratch", scratch))) {
            List<double[]> losses = run.getValue().losses();
            double[] x = new double[losses.size()], y = new double[losses.size()];
            for (int i = 0; i < x.length; i++) {
                x[i] = losses.get(i)[0];
                y[i] = losses.get(i)[1];
            }
            plot.add(run.getKey(), x, y);
        }
        plot.save(file);
    }
}
