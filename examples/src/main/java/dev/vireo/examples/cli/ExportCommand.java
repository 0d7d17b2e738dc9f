package dev.vireo.examples.cli;

import dev.vireo.models.Clip;
import dev.vireo.models.hf.HfCheckpoints;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code vireo export}: writes any loadable model as a Hugging Face CLIPModel folder. */
@Command(name = "export", description = "save a model (e.g. a Vireo run) as a Hugging Face CLIPModel folder")
final class ExportCommand implements Callable<Integer> {
    @Mixin
    Mixins.Model model;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "the Hugging Face folder to write")
    Path out;

    @Override
    public Integer call() throws Exception {
        try (Clip clip = model.load()) {
            HfCheckpoints.save(clip.model(), clip.tokenizer(), out);
            System.out.println("wrote a Hugging Face CLIPModel folder (" + clip.kind() + " model) to " + out.toAbsolutePath());
        }
        return 0;
    }
}
