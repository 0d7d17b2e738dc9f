package dev.vireo.examples.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.vireo.engine.io.AtomicFiles;
import dev.vireo.examples.plot.LinePlot;
import dev.vireo.examples.train.RunReports;
import dev.vireo.models.config.VlConfig;
import dev.vireo.models.data.shapes.CompositionalPairs;
import dev.vireo.models.data.shapes.ShapesWorld;
import dev.vireo.models.eval.CompositionalEval;
import dev.vireo.models.eval.RetrievalMetrics;
import dev.vireo.models.eval.VlEvaluator;
import dev.vireo.models.train.ClipTrainer;
import dev.vireo.models.train.ShapesData;
import dev.vireo.models.train.TrainConfig;
import dev.vireo.models.train.VlTrainer;
import dev.vireo.models.vl.VlModel;
import dev.vireo.models.vl.VlRuns;
import dev.vireo.models.vl.VlScorer;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The seed's "compare fusion strategies" project: early, mid and late fusion ({@code vl-early},
 * {@code vl-mid}, {@code vl-late}) pretrained on the shapes world with the same data, steps, batch
 * and seed, then measured on the same held-out scenes: matching against hard negatives, the
 * compositional group score, text-to-image R@1 ranked by the matching head alone (the one score all
 * three have), and the cost of that score in milliseconds per image-text pair (encoding both sides
 * and fusing every pair, as retrieval over a gallery pays it), beside the parameter count.
 * Writes {@code comparison.md}, {@code comparison.json} and {@code comparison.png}, and a run folder per fusion.
 */
public final class FusionComparison {
    /** The budget every fusion gets. */
    public record Settings(int steps, int batch, int trainScenes, int testScenes, int compositionalItems, long seed, Path out) {}

    /** One fusion's measures. */
    public record Row(String fusion, long parameters, double msPerPair, double itmAccuracy, double compositionalGroup, double retrievalR1,
                      double trainSeconds) {}

    private static final List<String> FUSIONS = List.of("late", "mid", "early");

    private FusionComparison() {}

    public static List<Row> run(Settings s, PrintStream out) throws IOException {
        Files.createDirectories(s.out());
        ShapesData train = ShapesData.split(true, s.trainScenes(), ShapesWorld.Config.of(48));
        ShapesData test = ShapesData.split(false, s.testScenes(), ShapesWorld.Config.of(48));
        List<CompositionalPairs.Item> items = CompositionalPairs.generate(CompositionalPairs.SEED, s.compositionalItems(), 48);
        List<Row> rows = new ArrayList<>();
        for (String fusion : FUSIONS) {
            VlConfig config = VlConfig.create("vl-" + fusion);
            String objectives = config.hasUnimodalEmbeddings() ? "itc,itm,mlm,mrm" : "itm,mlm,mrm";
            Path dir = s.out().resolve(fusion);
            TrainConfig t = TrainConfig.builder().steps(s.steps()).batch(s.batch()).lr(1e-3).warmup(Math.min(100, s.steps() / 10))
                    .seed(s.seed()).outDir(dir).checkpointEvery(0).build();
            out.printf("%s fusion (%s): %d steps of %d%n", fusion, objectives, s.steps(), s.batch());
            ClipTrainer.Result<VlModel> result = VlTrainer.train(config, VlTrainer.Objectives.parse(objectives).withSwapNegatives(true), train, t,
                    RunReports.standard(out, false));
            VlRuns.Loaded loaded = VlRuns.load(dir);
            VlScorer scorer = new VlScorer(loaded.model(), loaded.tokenizer());
            VlEvaluator eval = new VlEvaluator(scorer);
            long t0 = System.nanoTime();
            VlScorer.Images images = eval.images(test);
            float[] ranking = matchAll(scorer, images, test); // (N images, N texts)
            double msPerPair = (System.nanoTime() - t0) / 1e6 / ((double) test.size() * test.size());
            int[] own = new int[test.size()];
            for (int i = 0; i < own.length; i++) own[i] = i;
            RetrievalMetrics.Result r = RetrievalMetrics.compute(ranking, test.size(), test.size(), own);
            rows.add(new Row(fusion, loaded.model().parameterCount(), msPerPair, eval.matching(test, images).accuracy(),
                    CompositionalEval.matching(scorer, items).all().group(), r.textToImage().r1(), result.seconds()));
        }
        write(s, rows);
        return rows;
    }

    /** Match probability of every image with every first caption: (N, N), image-major. */
    private static float[] matchAll(VlScorer scorer, VlScorer.Images images, ShapesData test) {
        int n = test.size();
        List<String> captions = new ArrayList<>(n);
        for (int i = 0; i < n; i++) captions.add(test.captions(i).getFirst());
        VlScorer.Texts texts = scorer.encodeTexts(captions);
        int[] image = new int[n * n], text = new int[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                image[i * n + j] = i;
                text[i * n + j] = j;
            }
        }
        return scorer.matchProbabilities(images, texts, image, text);
    }

    private static void write(Settings s, List<Row> rows) throws IOException {
        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "# Fusion strategies on the shapes world (%d steps of %d, %d training scenes, %d held out, %d compositional pairs)%n%n",
                s.steps(), s.batch(), s.trainScenes(), s.testScenes(), s.compositionalItems()));
        md.append("| fusion | parameters | ms per pair | ITM accuracy | compositional group | text→image R@1 (ITM) | training s |\n");
        md.append("|---|---|---|---|---|---|---|\n");
        List<Map<String, Object>> json = new ArrayList<>();
        for (Row r : rows) {
            md.append(String.format(Locale.ROOT, "| %s | %,d | %.4f | %.1f%% | %.1f%% | %.1f%% | %.0f |%n", r.fusion(), r.parameters(), r.msPerPair(),
                    100 * r.itmAccuracy(), 100 * r.compositionalGroup(), 100 * r.retrievalR1(), r.trainSeconds()));
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("fusion", r.fusion());
            m.put("parameters", r.parameters());
            m.put("ms_per_pair", r.msPerPair());
            m.put("itm_accuracy", r.itmAccuracy());
            m.put("compositional_group", r.compositionalGroup());
            m.put("text_to_image_r1_itm", r.retrievalR1());
            m.put("train_seconds", r.trainSeconds());
            json.add(m);
        }
        AtomicFiles.writeString(s.out().resolve("comparison.md"), md.toString());
        AtomicFiles.writeString(s.out().resolve("comparison.json"), new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(json));
        List<Row> byCost = new ArrayList<>(rows);
        byCost.sort(Comparator.comparingDouble(Row::msPerPair));
        double[] x = byCost.stream().mapToDouble(Row::msPerPair).toArray();
        String order = String.join(", ", byCost.stream().map(Row::fusion).toList());
        new LinePlot("Accuracy against cost (left to right: " + order + ")", "ms per image-text pair (log)", "accuracy")
                .add("ITM accuracy", x, byCost.stream().mapToDouble(Row::itmAccuracy).toArray())
                .add("compositional group", x, byCost.stream().mapToDouble(Row::compositionalGroup).toArray())
                .add("text→image R@1 (ITM)", x, byCost.stream().mapToDouble(Row::retrievalR1).toArray())
                .logX().save(s.out().resolve("comparison.png"));
    }
}
