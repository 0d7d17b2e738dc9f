package dev.vireo.examples.cli;

import dev.vireo.models.vilt.ViltAnswerer;
import dev.vireo.models.vqa.VisualQuestionAnswerer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The visual question answerers {@code vireo vqa} can load, told apart by what their folder holds:
 * a Hugging Face {@code ViltForQuestionAnswering} folder (config.json of {@code model_type} "vilt").
 * Vireo's own VQA run folders and Hugging Face BLIP VQA folders join here, each with its test for a
 * folder, before the ViLT one.
 */
final class VisualQuestionAnswerers {
    private VisualQuestionAnswerers() {}

    static VisualQuestionAnswerer load(Path model) throws IOException {
        if (!Files.isDirectory(model)) throw new IllegalArgumentException("model " + model + " is not a folder");
        Path config = model.resolve("config.json");
        String json = Files.isRegularFile(config) ? Files.readString(config) : "";
        // Vireo's own VQA run folders and BLIP VQA folders (BlipForQuestionAnswering) go here
        if (json.contains("\"vilt\"")) return ViltAnswerer.load(model);
        throw new IllegalArgumentException("model " + model + " is not a visual question answering folder: not a Hugging Face"
                + " ViltForQuestionAnswering folder (config.json of model_type vilt, model.safetensors, tokenizer, processor config)");
    }
}
