package dev.vireo.examples.lessons.advanced;

import dev.vireo.examples.lessons.Lesson;
import dev.vireo.examples.plot.ImageOverlay;
import dev.vireo.models.config.BertConfig;
import dev.vireo.models.config.VisionConfig;
import dev.vireo.models.config.VlConfig;
import dev.vireo.models.data.Box;
import dev.vireo.models.data.shapes.PlacedShape;
import dev.vireo.models.data.shapes.ShapeScene;
import dev.vireo.models.data.shapes.ShapesWorld;
import dev.vireo.models.eval.GroundingMetrics;
import dev.vireo.models.eval.HeatMapBox;
import dev.vireo.models.eval.VlGrounding;
import dev.vireo.models.image.RgbImage;
import dev.vireo.models.train.ShapesData;
import dev.vireo.models.train.TrainConfig;
import dev.vireo.models.train.VlTrainer;
import dev.vireo.models.vl.Explanation;
import dev.vireo.models.vl.VlExplainer;
import dev.vireo.models.vl.VlRuns;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Advanced 7: grounding and explanation. A small mid-fusion model (ALBEF's ITC, ITM and MLM) never
 * sees a box in training; yet its fusion layers tie words to patches. {@link VlExplainer} reads
 * four heat maps of where a phrase such as "a red circle" looks: the cross-attention of the first
 * fusion layer, attention rollout through the fusion layers (Abnar and Zuidema 2020), the same
 * rollout begun at the image tower's input (through its self-attention first), and Grad-CAM
 * (ALBEF's recipe: the match logit's gradient with respect to a fusion layer's cross-attention,
 * times that attention, clamped at zero, averaged over heads). {@link HeatMapBox} turns a map into
 * a box (upsample, threshold, the connected region around the peak) and the box is scored against
 * the true one by intersection over union. Checks: IoU by hand equals {@link GroundingMetrics#iou};
 * a flat heat map gives the whole picture; the words' Grad-CAM in the last fusion layer is zero
 * (their attention there never reaches [CLS], which the match head reads); the best map's peak lands on the named shape far more
 * often than a patch chosen at random would, and (full mode) its boxes beat a fixed centre box.
 */
public final class A07GroundingExplanation implements Lesson {
    private static final int SIDE = 32;
    /** The fraction of a map's range above its minimum where the box is cut ({@link VlGrounding.Settings#DEFAULT} cuts there too). */
    private static final double FRACTION = 0.3;

    @Override
    public boolean run(Context ctx) throws Exception {
        PrintStream out = ctx.out();
        boolean ok = true;
        boolean quick = ctx.quick();

        // region iou
        // Step 1: intersection over union by hand: the overlap's area over the area the two boxes cover together.
        Box a = new Box(4, 4, 20, 20), b = new Box(12, 8, 28, 24);
        double overlap = (Math.min(a.x1(), b.x1()) - Math.max(a.x0(), b.x0())) * (Math.min(a.y1(), b.y1()) - Math.max(a.y0(), b.y0()));
        double iou = overlap / (a.area() + b.area() - overlap);
        out.printf("boxes %s and %s overlap on %.0f of %.0f + %.0f pixels: IoU %.4f (GroundingMetrics %.4f)%n", a, b, overlap, a.area(), b.area(),
                iou, GroundingMetrics.iou(a, b));
        ok &= ctx.check("IoU by hand equals GroundingMetrics.iou", Math.abs(iou - GroundingMetrics.iou(a, b)) < 1e-12);
        // a flat map has no peak to follow: every pixel passes the threshold and the box is the whole picture
        Box flat = HeatMapBox.predict(new float[64], 8, 8, SIDE, SIDE).box();
        ok &= ctx.check("a flat heat map boxes the whole picture", flat.equals(new Box(0, 0, SIDE, SIDE)));
        // endregion iou

        // region train
        // Step 2: pretrain a small mid-fusion model (8×8 patches of 4 px) with ITC, ITM and MLM on one-shape scenes.
        VlConfig config = new VlConfig("a07-grounding", "mid", 32, new VisionConfig(SIDE, 4, 48, 2, 2, 4.0, "gelu"),
                new BertConfig(512, 48, 3, 2, 192, 32, 2, 1e-12, "gelu", false), 2, 0, 0, false);
        ShapesData train = ShapesData.split(true, quick ? 1000 : 4000, new ShapesWorld.Config(SIDE, 1, 1));
        int steps = quick ? 20 : 200;
        Path run = ctx.outputDir().resolve("a07_run");
        TrainConfig cfg = TrainConfig.builder().steps(steps).batch(32).lr(2e-3).warmup(steps / 10).outDir(run).checkpointEvery(0).build();
        var r = VlTrainer.train(config, VlTrainer.Objectives.parse("itc,itm,mlm"), train, cfg);
        out.printf("pretrained %,d parameters for %d steps of %d: loss %.3f → %.3f in %.1f s%n", r.model().parameterCount(), steps, cfg.batch(),
                r.losses().getFirst()[1], r.losses().getLast()[1], r.seconds());
        VlRuns.Loaded loaded = VlRuns.load(run);
        VlExplainer explainer = new VlExplainer(loaded.model(), loaded.tokenizer());
        // endregion train

        // region explain
        // Step 3: three heat maps for one held-out picture and its phrase, each turned into a box.
        List<ShapeScene> scenes = ShapesData.split(false, quick ? 12 : 100, new ShapesWorld.Config(SIDE, 1, 1)).scenes();
        ShapeScene scene = scenes.getFirst();
        PlacedShape shape = scene.mainShape();
        RgbImage image = new RgbImage(SIDE, SIDE, scene.renderRgb());
        Explanation e = explainer.explain(image, VlGrounding.query(shape));
        Box truth = shape.box(SIDE);
        out.printf("%n\"%s\": match probability %.3f, true box %s%n", VlGrounding.query(shape), e.matchProbability(), truth);
        List<ImageOverlay.Panel> panels = new ArrayList<>();
        panels.add(new ImageOverlay.Panel("the picture, true box", null, 0, 0, e.window(), truth));
        for (Map.Entry<String, float[]> m : maps(e).entrySet()) {
            Box box = HeatMapBox.predict(m.getValue(), e.gridHeight(), e.gridWidth(), SIDE, SIDE, FRACTION).box();
            out.printf("  %-10s box %s  IoU %.3f%n", m.getKey(), box, GroundingMetrics.iou(box, truth));
            printGrid(out, m.getValue(), e.gridWidth());
            panels.add(new ImageOverlay.Panel(String.format(Locale.ROOT, "%s, IoU %.2f", m.getKey(), GroundingMetrics.iou(box, truth)),
                    m.getValue(), e.gridHeight(), e.gridWidth(), e.window(), box));
        }
        ImageOverlay.save(ctx.file("a07_heatmaps.png"), "A07: where \"" + VlGrounding.query(shape) + "\" looks", image, panels, 4);
        // in the last fusion layer the words' cross-attention reaches only the words, never [CLS], whose state the match head reads
        float lastLayer = largest(e.map(Explanation.Method.GRADCAM, -1, VlGrounding.positions(e.tokens(), VlGrounding.Words.ALL)));
        float clsLastLayer = largest(e.map(Explanation.Method.GRADCAM, -1, new int[] {0}));
        out.printf("Grad-CAM in the last fusion layer: largest value %.3g for the words, %.3g for [CLS]%n", lastLayer, clsLastLayer);
        ok &= ctx.check("the words' Grad-CAM in the last fusion layer is exactly 0", lastLayer == 0);
        // endregion explain

        // region evaluate
        // Step 4: over held-out pictures: Acc@0.5 and mean IoU of each map's box, and the pointing game (is the peak on the shape?).
        Map<String, List<Box>> predicted = new LinkedHashMap<>();
        Map<String, Integer> pointed = new LinkedHashMap<>();
        List<Box> truths = new ArrayList<>(), centre = new ArrayList<>();
        double chance = 0;                                                                  // a random patch lands on the shape
        for (ShapeScene s : scenes) {
            PlacedShape p = s.mainShape();
            Box t = p.box(SIDE);
            Explanation x = explainer.explain(new RgbImage(SIDE, SIDE, s.renderRgb()), VlGrounding.query(p));
            for (Map.Entry<String, float[]> m : maps(x).entrySet()) {
                predicted.computeIfAbsent(m.getKey(), k -> new ArrayList<>())
                        .add(HeatMapBox.predict(m.getValue(), x.gridHeight(), x.gridWidth(), SIDE, SIDE, FRACTION).box());
                pointed.merge(m.getKey(), inside(peak(m.getValue()), x.gridWidth(), SIDE, t) ? 1 : 0, Integer::sum);
            }
            truths.add(t);
            centre.add(new Box(SIDE / 4.0, SIDE / 4.0, 3 * SIDE / 4.0, 3 * SIDE / 4.0));      // a map-free guess: the middle quarter
            chance += cellsInside(x.gridWidth(), SIDE, t) / (double) x.cells() / scenes.size();
        }
        out.printf("%n%-12s %8s %9s %9s   (%d pictures)%n", "map", "Acc@0.5", "mean IoU", "pointing", scenes.size());
        double best = 0, bestAccuracy = 0;
        for (String method : predicted.keySet()) {
            GroundingMetrics.Result g = GroundingMetrics.evaluate(predicted.get(method), truths, GroundingMetrics.DEFAULT_THRESHOLD);
            double pointing = pointed.get(method) / (double) scenes.size();
            best = Math.max(best, pointing);
            bestAccuracy = Math.max(bestAccuracy, g.accuracy());
            out.printf("%-12s %8.3f %9.3f %9.3f%n", method, g.accuracy(), g.meanIou(), pointing);
        }
        GroundingMetrics.Result c = GroundingMetrics.evaluate(centre, truths, GroundingMetrics.DEFAULT_THRESHOLD);
        out.printf("%-12s %8.3f %9.3f %9.3f  (a random patch)%n", "centre", c.accuracy(), c.meanIou(), chance);
        double factor = quick ? 2 : 4;
        ok &= ctx.check(String.format(Locale.ROOT, "the best map's peak lands on the shape at least %.0f× as often as a random patch", factor),
                best >= factor * chance);
        if (!quick) ok &= ctx.check("the best map's boxes reach Acc@0.5 at least 0.3 above the centre box's", bestAccuracy >= c.accuracy() + 0.3);
        // endregion evaluate
        out.printf("heat maps and their boxes: %s%n", ctx.outputDir().resolve("a07_heatmaps.png"));
        return ok;
    }

    /** The four maps of an explanation for the phrase's words ([CLS] and [SEP] left out). */
    static Map<String, float[]> maps(Explanation e) {
        int[] words = VlGrounding.positions(e.tokens(), VlGrounding.Words.ALL);
        Map<String, float[]> maps = new LinkedHashMap<>();
        maps.put("attention", e.map(Explanation.Method.ATTENTION, 0, words));               // first fusion layer, mean over heads
        maps.put("rollout", e.map(Explanation.Method.ROLLOUT, 0, words));
        // rollout begun at the image tower's input: each tower output may mix several patches, this follows the mix back
        maps.put("full-rollout", e.map(Explanation.Method.FULL_ROLLOUT, 0, words));
        // the first fusion layer: in the last, only [CLS]'s row reaches the match head, so the words' gradients are 0 there
        maps.put("grad-cam", e.map(Explanation.Method.GRADCAM, 0, words));
        return maps;
    }

    private static float largest(float[] map) {
        float largest = 0;
        for (float v : map) largest = Math.max(largest, Math.abs(v));
        return largest;
    }

    private static int peak(float[] map) {
        int best = 0;
        for (int i = 1; i < map.length; i++) if (map[i] > map[best]) best = i;
        return best;
    }

    /** Whether the centre of patch {@code cell} lies in {@code box}. */
    private static boolean inside(int cell, int grid, int side, Box box) {
        double size = (double) side / grid, x = (cell % grid + 0.5) * size, y = (cell / grid + 0.5) * size;
        return x >= box.x0() && x < box.x1() && y >= box.y0() && y < box.y1();
    }

    private static int cellsInside(int grid, int side, Box box) {
        int n = 0;
        for (int cell = 0; cell < grid * grid; cell++) if (inside(cell, grid, side, box)) n++;
        return n;
    }

    /** A map as a grid of digits 0–9, its own range scaled to ten steps. */
    private static void printGrid(PrintStream out, float[] map, int width) {
        float min = Float.POSITIVE_INFINITY, max = Float.NEGATIVE_INFINITY;
        for (float v : map) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        for (int row = 0; row < map.length / width; row++) {
            StringBuilder line = new StringBuilder("      ");
            for (int col = 0; col < width; col++) {
                float v = map[row * width + col];
                line.append(max > min ? (int) Math.min(9, 10 * (v - min) / (max - min)) : 0).append(' ');
            }
            out.println(line);
        }
    }

    public static void main(String[] args) throws Exception {
        Lesson.main(new A07GroundingExplanation(), args);
    }
}
