package dev.vireo.examples.cli;

import dev.vireo.models.blip.BlipCaptioner;
import dev.vireo.models.caption.ImageCaptioner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The captioners {@code vireo caption} can load, told apart by what their folder holds: for now a
 * Hugging Face BlipForConditionalGeneration folder. A Vireo caption run folder is recognised first
 * once Vireo trains its own captioner (see the marked place below).
 */
final class ImageCaptioners {
    private ImageCaptioners() {}

    static ImageCaptioner load(Path model) throws IOException {
        if (!Files.isDirectory(model)) throw new IllegalArgumentException("model " + model + " is not a folder");
        // A Vireo caption run folder goes here, before the Hugging Face folders, as ImageTextMatchers tests VlRuns.isVlRun first.
        Path config = model.resolve("config.json");
        if (Files.isRegularFile(config) && Files.readString(config).contains("\"blip\"")) return BlipCaptioner.load(model);
        throw new IllegalArgumentException("model " + model + " is not a captioning model folder: not a Hugging Face"
                + " BlipForConditionalGeneration folder (config.json, model.safetensors, tokenizer and processor files)");
    }
}
