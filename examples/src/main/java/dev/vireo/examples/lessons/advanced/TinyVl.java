package dev.vireo.examples.lessons.advanced;

import dev.vireo.engine.io.ScratchFolders;
import dev.vireo.models.config.BertConfig;
import dev.vireo.models.config.VisionConfig;
import dev.vireo.models.config.VlConfig;
import dev.vireo.models.data.shapes.ShapesWorld;
import dev.vireo.models.train.ImageTextData;
import dev.vireo.models.train.ShapesData;
import dev.vireo.models.train.TrainConfig;
import dev.vireo.models.train.VlTrainer;
import dev.vireo.models.vl.VlRuns;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The small vision-language transformers of the advanced lessons: the built-in {@code vl-*} shapes
 * shrunk (32 px pictures in 8-px patches, width 48, three text layers) so that a lesson trains
 * several in about a minute on 2 cores, and the shapes data they train on. A model trained once in a
 * JVM is kept, so lessons that share a run (A01 and A02's mid fusion) train it once.
 */
final class TinyVl {
    /** Picture side: 4 × 4 patches of 8 px. */
    static final int IMAGE_SIZE = 32;
    private static final Map<String, VlRuns.Loaded> TRAINED = new HashMap<>();

    private TinyVl() {}

    /**
     * The lessons' config for one fusion: early joins the patches to the text at every layer (no
     * image layers of its own), mid cross-attends in the last two text layers, late never fuses.
     */
    static VlConfig config(String fusion) {
        int imageLayers = fusion.equals("early") ? 0 : 2;
        int fusionLayers = switch (fusion) {
            case "early" -> 3;
            case "mid" -> 2;
            default -> 0;
        };
        VisionConfig vision = new VisionConfig(IMAGE_SIZE, 8, 48, imageLayers, 2, 4.0, "gelu");
        BertConfig text = new BertConfig(512, 48, 3, 2, 192, 32, 2, 1e-12, "gelu", false);
        return new VlConfig("tiny-vl-" + fusion, fusion, 48, vision, text, fusionLayers);
    }

    /** {@code count} training (or held-out) scenes of one or two shapes. */
    static ShapesData scenes(boolean train, int count) {
        return ShapesData.split(train, count, ShapesWorld.Config.of(IMAGE_SIZE));
    }

    /** What one run trains: the fusion, the objectives ({@code itc,itm,mlm}), the budget, and whether ITM meets word-swapped captions. */
    record Run(String fusion, String objectives, int steps, int batch, boolean swapNegatives, boolean momentum) {
        String key(String data) {
            return String.format(Locale.ROOT, "%s|%s|%d|%d|%b|%b|%s", fusion, objectives, steps, batch, swapNegatives, momentum, data);
        }
    }

    /**
     * Trains (or returns the model this JVM already trained for) {@code run} on {@code data},
     * named {@code dataName} for the cache, and loads it as a user of its run folder would.
     */
    static synchronized VlRuns.Loaded trained(Run run, ImageTextData data, String dataName) throws IOException {
        String key = run.key(dataName);
        VlRuns.Loaded loaded = TRAINED.get(key);
        if (loaded != null) return loaded;
        Path dir = Files.createTempDirectory("vireo-tiny-vl");
        try {
            TrainConfig cfg = TrainConfig.builder().steps(run.steps()).batch(run.batch()).lr(2e-3).warmup(Math.max(1, run.steps() / 10))
                    .seed(7).outDir(dir).checkpointEvery(0).build();
            VlTrainer.Objectives objectives = VlTrainer.Objectives.parse(run.objectives()).withSwapNegatives(run.swapNegatives())
                    .withMomentumDistill(run.momentum());
            VlTrainer.train(config(run.fusion()), objectives, data, cfg);
            loaded = VlRuns.load(dir);
        } finally {
            ScratchFolders.delete(dir);
        }
        TRAINED.put(key, loaded);
        return loaded;
    }
}
