package dev.vireo.examples.cli;

import dev.vireo.models.image.ImageDecoder;
import dev.vireo.models.image.RgbImage;
import dev.vireo.models.vl.VlRuns;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code --model}, {@code --image} and {@code --text}: one image and one text for a VL run folder ({@code vireo explain}, {@code vireo locate}). */
final class VlInputs {
    @Option(names = "--model", required = true, paramLabel = "M", description = "a Vireo VL run folder of mid or early fusion (vireo pretrain, vireo demo vl); for locate also a caption run")
    Path model;

    @Option(names = "--image", required = true, paramLabel = "PATH", description = "the image (PNG, JPEG, GIF, BMP)")
    Path image;

    @Option(names = "--text", required = true, paramLabel = "STRING", description = "the text, e.g. \"a red circle\"")
    String text;

    /** The run folder's model and tokenizer, or a one-line error naming what the folder lacks. */
    VlRuns.Loaded load() throws IOException {
        if (!Files.isDirectory(model)) throw new IllegalArgumentException("model " + model + " is not a folder");
        if (!VlRuns.isVlRun(model)) {
            throw new IllegalArgumentException("model " + model + " is not a vision-language model folder (a Vireo VL run folder holds"
                    + " config.json with a fusion, vocab.txt and checkpoint.safetensors)");
        }
        return VlRuns.load(model);
    }

    /** The decoded image; the decoder's one-line error names the file otherwise. */
    RgbImage decode() {
        return ImageDecoder.decode(image);
    }
}
