package dev.vireo.examples.cli;

import dev.vireo.models.Clip;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code vireo embed}: projected, unnormalised image and text features, in input order. */
@Command(name = "embed", description = "image and text features of a model (HF folder, open_clip file or Vireo run), as JSON")
final class EmbedCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    Mixins.Model model;

    @Option(names = "--image", paramLabel = "PATH", arity = "1..*", description = "images to embed (repeatable)")
    List<Path> images = new ArrayList<>();

    @Option(names = "--text", paramLabel = "STRING", arity = "1..*", description = "texts to embed (repeatable)")
    List<String> texts = new ArrayList<>();

    @Option(names = "--json", description = "accepted for symmetry: the output is always JSON")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (images.isEmpty() && texts.isEmpty()) throw new ParameterException(spec.commandLine(), "give at least one --image or --text");
        for (Path img : images) {
            if (!Files.isRegularFile(img)) throw new IllegalArgumentException("image " + img + " does not exist");
        }
        try (Clip clip = model.load()) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("image_embeds", images.isEmpty() ? List.of() : clip.encodeImages(images));
            out.put("text_embeds", texts.isEmpty() ? List.of() : clip.encodeTexts(texts));
            System.out.println(Json.write(out));
        }
        return 0;
    }
}
