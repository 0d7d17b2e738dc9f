package dev.vireo.examples.cli;

import dev.vireo.engine.io.OneLine;
import dev.vireo.models.image.ImageDecoder;
import dev.vireo.models.image.RgbImage;
import dev.vireo.models.vl.ImageTextMatcher;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code vireo itm}: image-text matching with a vision-language model: for each pair, the match
 * probability of the matching head on the fused pair and the cosine of the two embeddings.
 */
@Command(name = "itm", description = {"image-text matching of a vision-language model (a Vireo pretrain run folder or a Hugging Face",
        "BlipForImageTextRetrieval folder): for each pair the ITM match probability and the cosine of the embeddings, as JSON"})
final class ItmCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "M", description = "a Vireo VL run folder (vireo pretrain, vireo demo vl) or a Hugging Face BlipForImageTextRetrieval folder")
    Path model;

    @Option(names = "--image", required = true, paramLabel = "PATH", arity = "1..*", description = "images (repeatable)")
    List<Path> images;

    @Option(names = "--text", required = true, paramLabel = "STRING", arity = "1..*", description = "texts (repeatable)")
    List<String> texts;

    @Option(names = "--all", description = "every image with every text, image-major (default: pairs in order; one image or one text"
            + " pairs with each of the other side)")
    boolean all;

    @Option(names = "--json", description = "accepted for symmetry: the output is always JSON")
    boolean json;

    @Override
    public Integer call() throws Exception {
        List<int[]> pairs = pairs();
        List<RgbImage> decoded = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        List<Map<String, Object>> errorEntries = new ArrayList<>();
        for (Path p : images) {
            try {
                decoded.add(ImageDecoder.decode(p));
                errors.add(null);
            } catch (RuntimeException e) {
                decoded.add(null);
                errors.add(OneLine.of(e.getMessage()));
                errorEntries.add(ImageErrors.entry(p.toString(), OneLine.of(e.getMessage())));
            }
        }
        List<RgbImage> pairImages = new ArrayList<>();
        List<String> pairTexts = new ArrayList<>();
        for (int[] p : pairs) {
            if (decoded.get(p[0]) == null) continue;
            pairImages.add(decoded.get(p[0]));
            pairTexts.add(texts.get(p[1]));
        }
        try (ImageTextMatcher matcher = ImageTextMatchers.load(model)) {
            List<ImageTextMatcher.PairScore> scores = pairImages.isEmpty() ? List.of() : matcher.scorePairs(pairImages, pairTexts);
            List<Map<String, Object>> results = new ArrayList<>();
            int k = 0;
            for (int[] p : pairs) {
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("image", images.get(p[0]).toString());
                r.put("text", texts.get(p[1]));
                if (errors.get(p[0]) == null) {
                    ImageTextMatcher.PairScore s = scores.get(k++);
                    r.put("match_prob", s.matchProbability());
                    r.put("cosine", Double.isNaN(s.cosine()) ? null : s.cosine());
                } else {
                    r.put("match_prob", null);
                    r.put("cosine", null);
                }
                results.add(r);
            }
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("results", results);
            if (!errorEntries.isEmpty()) out.put("errors", errorEntries);
            System.out.println(Json.write(out));
        }
        return errorEntries.isEmpty() ? 0 : 1;
    }

    /** (image, text) index pairs: every combination with --all, else in order, one side broadcast when it has one entry. */
    private List<int[]> pairs() {
        List<int[]> out = new ArrayList<>();
        int ni = images.size(), nt = texts.size();
        if (all) {
            for (int i = 0; i < ni; i++) for (int t = 0; t < nt; t++) out.add(new int[] {i, t});
        } else if (ni == nt || ni == 1 || nt == 1) {
            for (int k = 0; k < Math.max(ni, nt); k++) out.add(new int[] {ni == 1 ? 0 : k, nt == 1 ? 0 : k});
        } else {
            throw new ParameterException(spec.commandLine(), ni + " images and " + nt + " texts do not pair in order; give as many of each,"
                    + " one of either, or --all");
        }
        return out;
    }
}
