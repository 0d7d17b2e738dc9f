package dev.vireo.examples.cli;

import dev.vireo.engine.io.OneLine;
import dev.vireo.models.generate.GenerationConfig;
import dev.vireo.models.image.ImageDecoder;
import dev.vireo.models.image.RgbImage;
import dev.vireo.models.vqa.VisualQuestionAnswerer;
import dev.vireo.models.vqa.VisualQuestionAnswerer.Answer;
import dev.vireo.models.vqa.VisualQuestionAnswerer.Scored;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/**
 * {@code vireo vqa}: visual question answering: for each image-question pair the answer and, for a
 * classifier over an answer vocabulary (ViLT), its best answers scored by the sigmoid of their logits
 * ({@code top}); a generative model's answer (BLIP, or a Vireo run with {@code --head generate}) is
 * decoded text and has no {@code top}.
 */
@Command(name = "vqa", description = {"visual question answering (a Vireo VQA run folder, classifier or generative, or a Hugging Face",
        "ViltForQuestionAnswering or BlipForQuestionAnswering folder): the answer to each question about its image, with a classifier's",
        "top answers and their scores"})
final class VqaCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "M", description = "a Vireo VQA run folder (vireo finetune --task vqa), or a Hugging Face ViltForQuestionAnswering or BlipForQuestionAnswering folder")
    Path model;

    @Option(names = "--image", required = true, paramLabel = "PATH", arity = "1..*", description = "images (repeatable)")
    List<Path> images;

    @Option(names = "--question", required = true, paramLabel = "STRING", arity = "1..*", description = "questions (repeatable): question i is asked of image i, or every question of one image")
    List<String> questions;

    @Option(names = "--top", paramLabel = "K", defaultValue = "5", description = "a classifier's best answers listed per question (default: ${DEFAULT-VALUE})")
    int top;

    @Option(names = "--beams", paramLabel = "N", defaultValue = "1", description = "beam search width of a generative model (default: ${DEFAULT-VALUE}: greedy)")
    int beams;

    @Option(names = "--max-new-tokens", paramLabel = "N", defaultValue = "20", description = "most tokens a generative model's answer takes (default: ${DEFAULT-VALUE})")
    int maxNewTokens;

    @Option(names = "--json", description = "print the answers as JSON")
    boolean json;

    @Override
    public Integer call() throws Exception {
        List<int[]> pairs = pairs();
        if (top < 0) throw new ParameterException(spec.commandLine(), "--top must be non-negative, got " + top);
        GenerationConfig generation;
        try {
            generation = new GenerationConfig(maxNewTokens, 0, beams, 1.0, false, false, 50, 1.0, 1.0, 1.0, 0);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        List<RgbImage> decoded = new ArrayList<>();
        List<Map<String, Object>> errors = new ArrayList<>();
        for (Path p : images) {
            try {
                decoded.add(ImageDecoder.decode(p));
            } catch (RuntimeException e) {
                decoded.add(null);
                errors.add(ImageErrors.entry(p.toString(), OneLine.of(e.getMessage())));
            }
        }
        List<RgbImage> pairImages = new ArrayList<>();
        List<String> pairQuestions = new ArrayList<>();
        for (int[] p : pairs) {
            if (decoded.get(p[0]) == null) continue;
            pairImages.add(decoded.get(p[0]));
            pairQuestions.add(questions.get(p[1]));
        }
        try (VisualQuestionAnswerer answerer = VisualQuestionAnswerers.load(model)) {
            List<Answer> answers = pairImages.isEmpty() ? List.of() : answerer.answer(pairImages, pairQuestions, top, generation);
            List<Map<String, Object>> results = new ArrayList<>();
            int k = 0;
            for (int[] p : pairs) {
                Answer a = decoded.get(p[0]) == null ? null : answers.get(k++);
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("image", images.get(p[0]).toString());
                r.put("question", questions.get(p[1]));
                r.put("answer", a == null ? null : a.answer());
                if (a == null) r.put("top", null);
                else if (!a.top().isEmpty()) r.put("top", a.top().stream().map(VqaCommand::scored).toList()); // a generative answer has none
                results.add(r);
                if (!json) print(r, a);
            }
            if (json) {
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("results", results);
                if (!errors.isEmpty()) out.put("errors", errors);
                System.out.println(Json.write(out));
            }
        }
        if (!json) for (Map<String, Object> e : errors) System.err.println(e.get("image") + "\terror: " + e.get("error"));
        if (!errors.isEmpty()) System.err.println("vireo vqa: " + errors.size() + " of " + images.size() + " images could not be read");
        return errors.isEmpty() ? 0 : 1;
    }

    /** One readable line: image, question, answer, and the scored answers when there are any. */
    private static void print(Map<String, Object> r, Answer a) {
        if (a == null) return; // the image's error is printed after
        String scores = a.top().isEmpty() ? ""
                : "\t(" + a.top().stream().map(s -> s.answer() + " " + String.format(Locale.ROOT, "%.3f", s.score())).collect(Collectors.joining(", ")) + ")";
        System.out.println(r.get("image") + "\t" + r.get("question") + "\t" + a.answer() + scores);
    }

    private static Map<String, Object> scored(Scored s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("answer", s.answer());
        m.put("score", s.score());
        return m;
    }

    /** (image, question) index pairs in order; one image is asked every question, one question is asked of every image. */
    private List<int[]> pairs() {
        int ni = images.size(), nq = questions.size();
        if (ni != nq && ni != 1 && nq != 1) {
            throw new ParameterException(spec.commandLine(), ni + " images and " + nq + " questions do not pair in order; give as many of each,"
                    + " or one image with several questions");
        }
        List<int[]> out = new ArrayList<>();
        for (int k = 0; k < Math.max(ni, nq); k++) out.add(new int[] {ni == 1 ? 0 : k, nq == 1 ? 0 : k});
        return out;
    }
}
