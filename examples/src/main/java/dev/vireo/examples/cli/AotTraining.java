package dev.vireo.examples.cli;

import dev.vireo.engine.io.ScratchFolders;
import dev.vireo.models.clip.ClipModel;
import dev.vireo.models.config.ClipConfig;
import dev.vireo.models.data.shapes.ShapeScene;
import dev.vireo.models.data.shapes.ShapesSampleWriter;
import dev.vireo.models.data.shapes.ShapesWorld;
import dev.vireo.models.hf.HfCheckpoints;
import dev.vireo.models.text.ClipTokenizer;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The training run of {@code bin/vireo}'s AOT cache (JDK 25, JEP 483/514/515): the launcher runs
 * this once after each build with {@code -XX:AOTCacheOutput}, and every later command starts with
 * the classes it loaded already parsed and linked, and with the method profiles it gathered. It does
 * what a one-shot command does, on a tiny random CLIP written to a scratch folder: {@code embed} of an
 * image and a text, {@code zeroshot}, {@code tokenize} and {@code info}, with their output discarded.
 * Measured on {@code vireo embed} of one image with ViT-B/32 (2 cores, AMD EPYC): 3.3-3.5 s without
 * the cache, 3.0-3.1 s with it.
 */
public final class AotTraining {
    private AotTraining() {}

    public static void main(String[] args) throws Exception {
        int failures = run();
        if (failures > 0) {
            System.err.println("vireo: the AOT training run had " + failures + " failing commands");
            System.exit(1);
        }
    }

    /** Runs the commands; returns how many failed. */
    static int run() throws Exception {
        Path dir = Files.createTempDirectory("vireo-aot-training");
        PrintStream out = System.out;
        try {
            Path model = dir.resolve("model");
            HfCheckpoints.save(new ClipModel(ClipConfig.create("tiny"), 0), ClipTokenizer.openai(), model);
            ShapeScene scene = ShapesWorld.generate(0, 1, 64).getFirst();
            Path image = dir.resolve("scene.png");
            ShapesSampleWriter.writePng(image, scene);
            System.setOut(new PrintStream(OutputStream.nullOutputStream()));
            int failures = 0;
            String m = model.toString(), img = image.toString();
            failures += Vireo.run("embed", "--model", m, "--image", img, "--text", scene.captions().getFirst()) == 0 ? 0 : 1;
            failures += Vireo.run("zeroshot", "--model", m, "--image", img, "--labels", "circle,square", "--json") == 0 ? 0 : 1;
            failures += Vireo.run("tokenize", "--text", scene.captions().getFirst()) == 0 ? 0 : 1;
            failures += Vireo.run("info") == 0 ? 0 : 1;
            return failures;
        } finally {
            System.setOut(out);
            ScratchFolders.delete(dir);
        }
    }
}
