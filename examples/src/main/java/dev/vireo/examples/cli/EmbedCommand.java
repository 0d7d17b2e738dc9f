package dev.vireo.examples.cli;

import dev.vireo.models.Clip;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code vireo embed}: projected, unnormalised image and text features, in input order. */
final class EmbedCommand implements Command {
    @Override
    public String name() {
        return "embed";
    }

    @Override
    public String summary() {
        return "image and text features of a model (HF folder, open_clip file or Vireo run)";
    }

    @Override
    public String usage() {
        return "vireo embed --model DIR|FILE [--config NAME] [--image PATH]... [--text STRING]... [--json]";
    }

    @Override
    public int run(List<String> argList) throws Exception {
        Args a = Args.parse(argList, Set.of("json"), Set.of("model", "config", "image", "text"));
        String model = a.value("model", null);
        if (model == null) throw new UsageException("--model is required");
        List<String> images = a.values("image"), texts = a.values("text");
        if (images.isEmpty() && texts.isEmpty()) throw new UsageException("give at least one --image or --text");
        for (String img : images) {
            if (!java.nio.file.Files.isRegularFile(Path.of(img))) throw new IllegalArgumentException("image " + img + " does not exist");
        }
        try (Clip clip = Clip.load(Path.of(model), a.value("config", null))) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("image_embeds", images.isEmpty() ? List.of() : clip.encodeImages(images.stream().map(Path::of).toList()));
            out.put("text_embeds", texts.isEmpty() ? List.of() : clip.encodeTexts(texts));
            System.out.println(Json.write(out));
        }
        return 0;
    }
}
