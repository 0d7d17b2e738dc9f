package dev.vireo.examples.cli;

import dev.vireo.models.blip.BlipQuestionAnswerer;
import dev.vireo.models.vilt.ViltAnswerer;
import dev.vireo.models.vqa.GenerativeVqaAnswerer;
import dev.vireo.models.vqa.VisualQuestionAnswerer;
import dev.vireo.models.vqa.VlQuestionAnswerer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The visual question answerers {@code vireo vqa} can load, told apart by what their folder holds:
 * a Vireo VQA run folder ({@code vireo finetune --task vqa}: a VL run with {@code answers.txt}, or
 * with {@code answer_decoder.json} for {@code --head generate}'s generative answers), a
 * Hugging Face {@code BlipForQuestionAnswering} folder (generative answers) or a Hugging Face
 * {@code ViltForQuestionAnswering} folder (config.json of {@code model_type} "vilt").
 */
final class VisualQuestionAnswerers {
    private VisualQuestionAnswerers() {}

    static VisualQuestionAnswerer load(Path model) throws IOException {
        if (!Files.isDirectory(model)) throw new IllegalArgumentException("model " + model + " is not a folder");
        Path config = model.resolve("config.json");
        String json = Files.isRegularFile(config) ? Files.readString(config) : "";
        if (GenerativeVqaAnswerer.isGenerativeVqaRun(model)) return GenerativeVqaAnswerer.load(model);
        if (VlQuestionAnswerer.isVqaRun(model)) return VlQuestionAnswerer.load(model);
        if (json.contains("\"blip\"") && json.contains("BlipForQuestionAnswering")) return BlipQuestionAnswerer.load(model);
        if (json.contains("\"vilt\"")) return ViltAnswerer.load(model);
        throw new IllegalArgumentException("model " + model + " is not a visual question answering folder: neither a Vireo VQA run"
                + " folder (vireo finetune --task vqa) nor a Hugging Face BlipForQuestionAnswering or ViltForQuestionAnswering folder");
    }
}
