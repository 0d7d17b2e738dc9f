package dev.vireo.examples.cli;

import dev.vireo.models.blip.BlipMatcher;
import dev.vireo.models.vl.ImageTextMatcher;
import dev.vireo.models.vl.VlMatcher;
import dev.vireo.models.vl.VlRuns;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The image-text matchers {@code vireo itm} can load (a Vireo VL run folder, a Hugging Face BLIP retrieval folder), told apart by what their folder holds. */
final class ImageTextMatchers {
    private ImageTextMatchers() {}

    static ImageTextMatcher load(Path model) throws IOException {
        if (!Files.isDirectory(model)) throw new IllegalArgumentException("model " + model + " is not a folder");
        if (VlRuns.isVlRun(model)) return VlMatcher.load(model);
        Path config = model.resolve("config.json");
        if (Files.isRegularFile(config) && Files.readString(config).contains("\"blip\"")) return BlipMatcher.load(model);
        throw new IllegalArgumentException("model " + model + " is not a vision-language model folder: neither a Vireo VL run folder"
                + " (config.json with a fusion, vocab.txt, checkpoint.safetensors) nor a Hugging Face BlipForImageTextRetrieval folder");
    }
}
