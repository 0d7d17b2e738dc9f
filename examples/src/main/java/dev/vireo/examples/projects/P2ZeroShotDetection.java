package dev.vireo.examples.projects;

import dev.vireo.examples.lessons.Lesson;
import dev.vireo.examples.plot.ImageGrid;
import dev.vireo.examples.train.RunReports;
import dev.vireo.models.caption.CaptionRuns;
import dev.vireo.models.config.CaptionConfig;
import dev.vireo.models.data.Box;
import dev.vireo.models.data.shapes.PlacedShape;
import dev.vireo.models.data.shapes.ShapeScene;
import dev.vireo.models.data.shapes.ShapesWorld;
import dev.vireo.models.eval.DecoderGrounding;
import dev.vireo.models.eval.GroundingMetrics;
import dev.vireo.models.eval.VlGrounding;
import dev.vireo.models.image.RgbImage;
import dev.vireo.models.train.CaptionTrainer;
import dev.vireo.models.train.ShapesData;
import dev.vireo.models.train.TrainConfig;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Project 2, "zero-shot object detection from text prompts": nobody gives the model a box. A captioner
 * learns only to describe scenes; asked where "the red circle" is, its decoder's cross-attention from
 * the prompt's words to the image patches is a heat map, and the box around the hottest region
 * (cells above {@link DecoderGrounding#FRACTION} of the peak, the connected part around it) is the
 * detection — what {@code vireo locate --method decoder} prints. Every object of held-out scenes is
 * looked for by its phrase and scored by IoU with the generator's true box (a hit at IoU ≥ 0.5), against
 * a baseline that always answers the average box. Expected outcome (full run: the captioner of
 * {@code demo caption} at 1,500 steps): at least 70% hits, well above the baseline.
 */
public final class P2ZeroShotDetection implements Lesson {

    @Override
    public boolean run(Context ctx) throws Exception {
        PrintStream out = ctx.out();
        CaptionConfig config = CaptionConfig.resolve("caption-mini");
        int side = config.vision().imageSize();
        int steps = ctx.quick() ? 30 : 1500;
        ShapesData train = ShapesData.split(true, ctx.quick() ? 300 : 8000, ShapesWorld.Config.of(side));
        Path run = ctx.file("p2_captioner");
        TrainConfig t = TrainConfig.builder().steps(steps).batch(64).lr(1e-3).warmup(Math.min(100, steps / 5)).outDir(run)
                .checkpointEvery(0).build();
        out.printf("training a captioner (no boxes, only captions) for %d steps on %d scenes%n", steps, train.size());
        CaptionTrainer.train(config, train, "", t, RunReports.standard(out, true));

        CaptionRuns.Loaded loaded = CaptionRuns.load(run);
        DecoderGrounding detector = DecoderGrounding.of(loaded.model(), loaded.tokenizer());
        List<ShapeScene> scenes = ShapesData.split(false, ctx.quick() ? 10 : 200, ShapesWorld.Config.of(side)).scenes();
        List<Box> found = new ArrayList<>(), truth = new ArrayList<>();
        List<ImageGrid.Row> rows = new ArrayList<>();
        for (ShapeScene scene : scenes) {
            RgbImage image = new RgbImage(side, side, scene.renderRgb());
            for (PlacedShape shape : scene.shapes()) {
                String prompt = VlGrounding.query(shape);
                Box box = detector.locate(image, prompt).box();
                found.add(box);
                truth.add(shape.box(side));
                if (rows.size() < 8) {
                    rows.add(new ImageGrid.Row(prompt, List.of(image), List.of(String.format("IoU %.2f", GroundingMetrics.iou(box, shape.box(side))))));
                }
            }
        }
        GroundingMetrics.Result result = GroundingMetrics.evaluate(found, truth, GroundingMetrics.DEFAULT_THRESHOLD);
        GroundingMetrics.Result baseline = GroundingMetrics.evaluate(averageBoxes(truth), truth, GroundingMetrics.DEFAULT_THRESHOLD);
        ImageGrid.save(ctx.file("p2_detections.png"), "P2: held-out objects found by their phrase (IoU with the true box)", rows, 96);
        out.printf("%d objects of %d held-out scenes: %.1f%% found at IoU >= 0.5, mean IoU %.2f; the average box: %.1f%%, mean IoU %.2f%n",
                result.count(), scenes.size(), 100 * result.accuracy(), result.meanIou(), 100 * baseline.accuracy(), baseline.meanIou());

        boolean ok = ctx.check("IoU is intersection over union (a box against itself 1, against a disjoint one 0, half-overlapping 1/3)",
                GroundingMetrics.iou(new Box(0, 0, 2, 2), new Box(0, 0, 2, 2)) == 1
                        && GroundingMetrics.iou(new Box(0, 0, 1, 1), new Box(2, 2, 3, 3)) == 0
                        && Math.abs(GroundingMetrics.iou(new Box(0, 0, 2, 1), new Box(1, 0, 3, 1)) - 1.0 / 3) < 1e-12);
        ok &= ctx.check("every box lies inside the picture", found.stream().allMatch(b -> b.x0() >= 0 && b.y0() >= 0 && b.x1() <= side
                && b.y1() <= side && b.x1() > b.x0() && b.y1() > b.y0()));
        if (!ctx.quick()) {
            ok &= ctx.check("at least 70% of the objects found at IoU >= 0.5", result.accuracy() >= 0.7);
            ok &= ctx.check("at least twice the average box's hits", result.accuracy() >= 2 * baseline.accuracy());
        }
        return ok;
    }

    /** The mean of the true boxes, answered for every object: what a detector that does not look would score. */
    private static List<Box> averageBoxes(List<Box> truth) {
        double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
        for (Box b : truth) {
            x0 += b.x0();
            y0 += b.y0();
            x1 += b.x1();
            y1 += b.y1();
        }
        int n = truth.size();
        Box mean = new Box(x0 / n, y0 / n, x1 / n, y1 / n);
        return truth.stream().map(b -> mean).toList();
    }

    public static void main(String[] args) throws Exception {
        Lesson.main(new P2ZeroShotDetection(), args);
    }
}
