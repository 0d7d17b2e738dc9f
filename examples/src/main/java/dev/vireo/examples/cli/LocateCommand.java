package dev.vireo.examples.cli;

import dev.vireo.examples.plot.ImageOverlay;
import dev.vireo.models.data.Box;
import dev.vireo.models.caption.CaptionRuns;
import dev.vireo.models.eval.DecoderGrounding;
import dev.vireo.models.eval.GroundingCalibration;
import dev.vireo.models.eval.VlGrounding;
import dev.vireo.models.image.RgbImage;
import dev.vireo.models.vl.Explanation;
import dev.vireo.models.vl.Explanation.Method;
import dev.vireo.models.vl.VlRuns;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code vireo locate}: where a text is in an image, as a box in the image's pixels read off a
 * heat map of a vision-language model's fusion layers ({@link VlGrounding}; the model never saw a
 * box in training), or of a text decoder's cross-attention ({@link DecoderGrounding}: caption runs,
 * VL runs pretrained with lm). The score is the heat map's maximum, on the chosen method's scale.
 */
@Command(name = "locate", description = {"a box around where a text is in an image, from a vision-language model's heat map (in the",
        "image's pixels), with the heat map and the box drawn as a PNG if asked"})
final class LocateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    VlInputs inputs;

    @Option(names = "--json", description = "print {\"box\": [x0, y0, x1, y1], \"score\": s} instead of a line of text")
    boolean json;

    @Option(names = "--out", paramLabel = "FILE.png", description = "also draw the heat map and the box over the image")
    Path out;

    // unset: the run folder's grounding.json (GroundingCalibration), else VlGrounding.Settings.DEFAULT
    @Option(names = "--method", paramLabel = "M",
            description = "the heat map: attention, rollout, full-rollout or gradcam (as vireo explain), or decoder: the text decoder's"
                    + " cross-attention while it reads the text (a VL run pretrained with lm; a caption run always grounds so). Unset, --method,"
                    + " --layer, --words and --threshold come from the run's grounding.json (chosen on held-out scenes by vireo demo vl), else"
                    + " full-rollout, cls, 0.3")
    String method;

    @Option(names = "--layer", paramLabel = "N", description = "the fusion layer of attention and gradcam, from the first (0) or the last (-1)")
    Integer layer;

    @Option(names = "--words", paramLabel = "W", description = "the tokens the map averages over: cls, all or content")
    String words;

    @Option(names = "--threshold", paramLabel = "F", description = "where the box's threshold sits between the map's minimum (0) and maximum (1)")
    Double threshold;

    @Override
    public Integer call() throws Exception {
        if ("decoder".equals(method) || CaptionRuns.isCaptionRun(inputs.model)) return locateWithDecoder();
        VlGrounding.Settings settings = settings(GroundingCalibration.read(inputs.model).orElse(VlGrounding.Settings.DEFAULT));
        RgbImage image = inputs.decode();
        VlRuns.Loaded loaded = inputs.load();
        VlGrounding.Located located = new VlGrounding(loaded.model(), loaded.tokenizer(), settings).locate(image, inputs.text);
        Box b = located.box();
        print(b, located.score());
        if (out != null) {
            Explanation e = located.explanation();
            String caption = String.format(Locale.ROOT, "box %.0f %.0f %.0f %.0f, score %.3g", b.x0(), b.y0(), b.x1(), b.y1(), located.score());
            ImageOverlay.Panel panel = new ImageOverlay.Panel(caption, located.heatMap(), e.gridHeight(), e.gridWidth(), e.window(), b);
            ImageOverlay.save(out, "\"" + inputs.text + "\": " + settings, image, List.of(panel), 1);
            if (!json) System.out.println("wrote " + out);
        }
        return 0;
    }

    /** Grounding from a text decoder's cross-attention ({@link DecoderGrounding}): a caption run, or a VL run with a decoder. */
    private int locateWithDecoder() throws IOException {
        DecoderGrounding grounding;
        if (CaptionRuns.isCaptionRun(inputs.model)) {
            if (method != null && !method.equals("attention") && !method.equals("decoder")) {
                throw new ParameterException(spec.commandLine(), "a caption run grounds with its decoder's attention (--method decoder), not " + method);
            }
            CaptionRuns.Loaded loaded = CaptionRuns.load(inputs.model);
            grounding = DecoderGrounding.of(loaded.model(), loaded.tokenizer());
        } else {
            VlRuns.Loaded loaded = inputs.load();
            grounding = DecoderGrounding.of(loaded.model(), loaded.tokenizer());
        }
        RgbImage image = inputs.decode();
        DecoderGrounding.Located located = grounding.locate(image, inputs.text);
        print(located.box(), located.score());
        if (out != null) {
            Box b = located.box();
            String caption = String.format(Locale.ROOT, "box %.0f %.0f %.0f %.0f, score %.3g", b.x0(), b.y0(), b.x1(), b.y1(), located.score());
            ImageOverlay.Panel panel = new ImageOverlay.Panel(caption, located.heatMap(), located.grid(), located.grid(), located.window(), b);
            ImageOverlay.save(out, "\"" + inputs.text + "\": the decoder's cross-attention, threshold " + DecoderGrounding.FRACTION, image,
                    List.of(panel), 1);
            if (!json) System.out.println("wrote " + out);
        }
        return 0;
    }

    private void print(Box b, double score) {
        if (json) {
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("box", List.of(round(b.x0()), round(b.y0()), round(b.x1()), round(b.y1())));
            result.put("score", score);
            System.out.println(Json.write(result));
        } else {
            System.out.printf(Locale.ROOT, "\"%s\": box %.2f %.2f %.2f %.2f (x0 y0 x1 y1, pixels), score %.4f%n", inputs.text, b.x0(), b.y0(), b.x1(),
                    b.y1(), score);
        }
    }

    /** The grounding settings the options give, each option not given taken from {@code base}. */
    VlGrounding.Settings settings(VlGrounding.Settings base) {
        try {
            return new VlGrounding.Settings(method != null ? Method.parse(method) : base.method(), layer != null ? layer : base.fusionLayer(),
                    words != null ? VlGrounding.Words.parse(words) : base.words(), threshold != null ? threshold : base.fraction());
        } catch (IllegalArgumentException bad) {
            throw new ParameterException(spec.commandLine(), bad.getMessage());
        }
    }

    /** Pixels to two decimals: boxes mapped back from the model's grid are fractional. */
    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
