package dev.vireo.examples.cli;

import dev.vireo.models.Clip;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code vireo zeroshot}: class probabilities softmax(exp(logit scale)·cosine) for each image. */
@Command(name = "zeroshot", description = "zero-shot classification of images against labels put in a prompt template")
final class ZeroShotCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    Mixins.Model model;

    @Mixin
    Mixins.Backend backend;

    @Option(names = "--image", required = true, paramLabel = "PATH", arity = "1..*", description = "images to classify (repeatable)")
    List<Path> images;

    @ArgGroup(multiplicity = "1")
    Labels labels;

    /** Exactly one of the two ways to give the labels. */
    static final class Labels {
        @Option(names = "--labels", paramLabel = "a,b,c", description = "the labels, comma-separated")
        String inline;

        @Option(names = "--labels-file", paramLabel = "FILE", description = "the labels, one a line")
        Path file;
    }

    @Option(names = "--template", paramLabel = "TEXT", defaultValue = "a photo of a {}.",
            description = "the prompt, with {} where the label goes (default: \"${DEFAULT-VALUE}\")")
    String template;

    @Option(names = "--json", description = "print the probabilities as JSON")
    boolean json;

    @Override
    public Integer call() throws Exception {
        List<String> labels = labels();
        if (!template.contains("{}")) throw new ParameterException(spec.commandLine(), "--template must contain {} where the label goes");
        int failed = 0;
        BackgroundDecode decoding = BackgroundDecode.start(images); // while the model loads
        try (Clip clip = model.load(backend)) {
            List<Clip.ImageResult> each = clip.encodeEachDecoded(decoding.files());
            float[][] txt = clip.encodeTexts(labels.stream().map(l -> template.replace("{}", l)).toList());
            List<Map<String, Object>> results = new ArrayList<>();
            for (Clip.ImageResult image : each) {
                if (!image.ok()) {
                    results.add(ImageErrors.entry(image)); // this image's error; the others keep their results
                    failed++;
                    continue;
                }
                float[] probs = clip.zeroShotClassifier(new float[][] {image.features()}, txt)[0];
                int top = 0;
                for (int j = 1; j < labels.size(); j++) if (probs[j] > probs[top]) top = j;
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("image", image.file().toString());
                r.put("probs", probs);
                r.put("top", labels.get(top));
                results.add(r);
            }
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("labels", labels);
            out.put("results", results);
            if (json) {
                System.out.println(Json.write(out));
            } else {
                for (Map<String, Object> r : results) {
                    if (r.containsKey("error")) System.err.println(r.get("image") + "\terror: " + r.get("error"));
                    else System.out.println(r.get("image") + "\t" + r.get("top"));
                }
            }
        }
        if (failed > 0) System.err.println("vireo zeroshot: " + failed + " of " + images.size() + " images could not be read");
        return failed > 0 ? 1 : 0;
    }

    private List<String> labels() throws IOException {
        List<String> labels;
        if (this.labels.file != null) {
            Path p = this.labels.file;
            if (!Files.isRegularFile(p)) throw new IllegalArgumentException("label file " + p + " does not exist");
            labels = Files.readAllLines(p).stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
        } else {
            labels = Arrays.stream(this.labels.inline.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
        }
        if (labels.size() < 2) throw new ParameterException(spec.commandLine(), "zero-shot needs at least two labels, got " + labels);
        return labels;
    }
}
