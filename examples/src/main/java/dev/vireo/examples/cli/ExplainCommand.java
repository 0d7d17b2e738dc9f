package dev.vireo.examples.cli;

import dev.vireo.examples.plot.ImageOverlay;
import dev.vireo.models.eval.VlGrounding;
import dev.vireo.models.image.RgbImage;
import dev.vireo.models.vl.Explanation;
import dev.vireo.models.vl.Explanation.Method;
import dev.vireo.models.vl.VlExplainer;
import dev.vireo.models.vl.VlRuns;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code vireo explain}: where a vision-language model's text looked in an image, as heat maps over
 * it in a PNG: cross-attention of a fusion layer (per head if asked), attention rollout through the
 * fusion layers (or through the image tower and them), or Grad-CAM on the ITM match logit; one map
 * for the text or one per token.
 */
@Command(name = "explain", description = {"heat maps of where a vision-language model's text looks in an image (attention, rollouts or",
        "Grad-CAM on the ITM match logit), drawn over the image as a PNG"})
final class ExplainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    VlInputs inputs;

    @Option(names = "--method", defaultValue = "gradcam", paramLabel = "M",
            description = "attention (probabilities of a fusion layer), rollout (through all fusion layers), full-rollout (through the"
                    + " image tower's self-attention, then the fusion layers) or gradcam (ALBEF's, on the ITM match logit); default: ${DEFAULT-VALUE}")
    String method;

    @Option(names = "--layer", defaultValue = "0", paramLabel = "N",
            description = "the fusion layer of attention and gradcam, counted from the first (0), or from the last when negative (-1);"
                    + " default: ${DEFAULT-VALUE}")
    int layer;

    @Option(names = "--words", defaultValue = "all", paramLabel = "W",
            description = "the tokens one map averages over: cls, all (every word piece) or content (no function words); default: ${DEFAULT-VALUE}")
    String words;

    @Option(names = "--per-word", description = "one panel per token ([CLS] and [SEP] too) instead of one map for the text")
    boolean perWord;

    @Option(names = "--per-head", description = "attention: one panel per head instead of their mean")
    boolean perHead;

    @Option(names = "--out", required = true, paramLabel = "FILE.png", description = "the PNG to write")
    Path out;

    @Override
    public Integer call() throws Exception {
        Method m;
        VlGrounding.Words w;
        try {
            m = Method.parse(method);
            w = VlGrounding.Words.parse(words);
        } catch (IllegalArgumentException bad) {
            throw new ParameterException(spec.commandLine(), bad.getMessage());
        }
        if (perHead && m != Method.ATTENTION) throw new ParameterException(spec.commandLine(), "--per-head shows attention heads; use it with --method attention");
        RgbImage image = inputs.decode();
        VlRuns.Loaded loaded = inputs.load();
        Explanation e = new VlExplainer(loaded.model(), loaded.tokenizer()).explain(image, inputs.text);
        int f = m.perLayer() ? e.fusionLayer(layer) : 0;
        List<int[]> tokenSets = new ArrayList<>();
        List<String> tokenNames = new ArrayList<>();
        if (perWord) {
            for (int t = 0; t < e.tokens().size(); t++) {
                tokenSets.add(new int[] {t});
                tokenNames.add(e.tokens().get(t));
            }
        } else {
            tokenSets.add(VlGrounding.positions(e.tokens(), w));
            tokenNames.add(w.name().toLowerCase(Locale.ROOT) + " tokens");
        }
        List<ImageOverlay.Panel> panels = new ArrayList<>();
        for (int i = 0; i < tokenSets.size(); i++) {
            if (perHead) {
                for (int h = 0; h < e.heads(); h++) panels.add(panel(e, tokenNames.get(i) + ", head " + h, e.attention(f, h, tokenSets.get(i))));
            } else {
                panels.add(panel(e, tokenNames.get(i), e.map(m, f, tokenSets.get(i))));
            }
        }
        String where = m == Method.ROLLOUT ? "through " + e.fusionLayers() + " fusion layer(s)"
                : m == Method.FULL_ROLLOUT ? "through the image tower and " + e.fusionLayers() + " fusion layer(s)"
                : "fusion layer " + f + " (text layer " + (e.firstFusionLayer() + f) + ")";
        String title = String.format(Locale.ROOT, "%s, %s: \"%s\" (match %.2f)", m.id(), where, inputs.text, e.matchProbability());
        ImageOverlay.save(out, title, image, panels, perHead ? e.heads() : 4);
        System.out.printf(Locale.ROOT, "wrote %s: %s, %s, %d panel(s), match probability %.3f%n", out, m.id(),
                where, panels.size(), e.matchProbability());
        return 0;
    }

    private static ImageOverlay.Panel panel(Explanation e, String caption, float[] map) {
        return new ImageOverlay.Panel(caption, map, e.gridHeight(), e.gridWidth(), e.window(), null);
    }
}
