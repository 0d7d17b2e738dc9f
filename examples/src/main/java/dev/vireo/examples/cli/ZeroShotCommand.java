package dev.vireo.examples.cli;

import dev.vireo.models.Clip;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code vireo zeroshot}: class probabilities softmax(exp(logit scale)·cosine) for each image. */
final class ZeroShotCommand implements Command {
    @Override
    public String name() {
        return "zeroshot";
    }

    @Override
    public String summary() {
        return "zero-shot classification of images against labels put in a prompt template";
    }

    @Override
    public String usage() {
        return "vireo zeroshot --model DIR|FILE [--config NAME] --image PATH... (--labels a,b,c | --labels-file FILE)"
                + " [--template \"a photo of a {}.\"] [--json]";
    }

    @Override
    public int run(List<String> argList) throws Exception {
        Args a = Args.parse(argList, Set.of("json"), Set.of("model", "config", "image", "labels", "labels-file", "template"));
        String model = a.value("model", null);
        if (model == null) throw new UsageException("--model is required");
        List<String> images = a.values("image");
        if (images.isEmpty()) throw new UsageException("give at least one --image");
        List<String> labels = labels(a);
        String template = a.value("template", "a photo of a {}.");
        if (!template.contains("{}")) throw new UsageException("--template must contain {} where the label goes");
        for (String img : images) if (!Files.isRegularFile(Path.of(img))) throw new IllegalArgumentException("image " + img + " does not exist");
        try (Clip clip = Clip.load(Path.of(model), a.value("config", null))) {
            float[][] img = clip.encodeImages(images.stream().map(Path::of).toList());
            float[][] txt = clip.encodeTexts(labels.stream().map(l -> template.replace("{}", l)).toList());
            float[][] probs = clip.zeroShotClassifier(img, txt);
            List<Map<String, Object>> results = new ArrayList<>();
            for (int i = 0; i < images.size(); i++) {
                int top = 0;
                for (int j = 1; j < labels.size(); j++) if (probs[i][j] > probs[i][top]) top = j;
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("image", images.get(i));
                r.put("probs", probs[i]);
                r.put("top", labels.get(top));
                results.add(r);
            }
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("labels", labels);
            out.put("results", results);
            if (a.flag("json")) {
                System.out.println(Json.write(out));
            } else {
                for (Map<String, Object> r : results) System.out.println(r.get("image") + "\t" + r.get("top"));
            }
        }
        return 0;
    }

    private static List<String> labels(Args a) throws java.io.IOException {
        String inline = a.value("labels", null), file = a.value("labels-file", null);
        if ((inline == null) == (file == null)) throw new UsageException("give exactly one of --labels a,b,c or --labels-file FILE");
        List<String> labels;
        if (file != null) {
            Path p = Path.of(file);
            if (!Files.isRegularFile(p)) throw new IllegalArgumentException("label file " + file + " does not exist");
            labels = Files.readAllLines(p).stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
        } else {
            labels = Arrays.stream(inline.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
        }
        if (labels.size() < 2) throw new UsageException("zero-shot needs at least two labels, got " + labels);
        return labels;
    }
}
