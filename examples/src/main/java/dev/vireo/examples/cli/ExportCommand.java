package dev.vireo.examples.cli;

import dev.vireo.engine.tensor.GradMode;
import dev.vireo.engine.tensor.Tensor;
import dev.vireo.models.Clip;
import dev.vireo.models.data.shapes.ShapesWorld;
import dev.vireo.models.hf.HfCheckpoints;
import dev.vireo.models.train.ShapesData;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code vireo export}: writes any loadable model as a Hugging Face CLIPModel folder. */
@Command(name = "export", description = "save a model (e.g. a Vireo run) as a Hugging Face CLIPModel folder")
final class ExportCommand implements Callable<Integer> {
    @Mixin
    Mixins.Model model;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "the Hugging Face folder to write")
    Path out;

    @Option(names = "--expected", paramLabel = "FILE.json",
            description = "also write Vireo's outputs on fixed inputs, for hf/check_vireo_export.py to compare with PyTorch")
    Path expected;

    /** Outputs on three held-out shapes scenes and four captions, in the layout check_vireo_export.py reads. */
    static Map<String, Object> referenceOutputs(Clip clip) {
        var model = clip.model();
        int side = model.config().vision().imageSize(), ctx = model.config().text().contextLength();
        var data = ShapesData.split(false, 3, ShapesWorld.Config.of(side));
        float[] pixels = new float[3 * 3 * side * side]; // (3, 3, S, S)
        for (int i = 0; i < 3; i++) data.image(i, pixels, i * 3 * side * side);
        List<String> captions = List.of("a small red circle", "a large blue square left of a green triangle",
                "a photo of a cat", "two shapes: a yellow star and a purple circle");
        int[][] ids = new int[captions.size()][];
        int[] flat = new int[captions.size() * ctx]; // (4, T)
        for (int i = 0; i < captions.size(); i++) {
            ids[i] = clip.tokenizer().withPadId(clip.tokenizer().endId()).encode(captions.get(i), ctx);
            System.arraycopy(ids[i], 0, flat, i * ctx, ctx);
        }
        try (var ignored = GradMode.noGrad()) {
            var img = model.encodeImage(Tensor.of(pixels, 3, 3, side, side)); // (3, E)
            var txt = model.encodeText(flat, captions.size(), ctx);                                    // (4, E)
            var out = new LinkedHashMap<String, Object>();
            out.put("pixel_values", Map.of("shape", List.of(3, 3, side, side), "data", pixels));
            out.put("captions", captions);
            out.put("input_ids", ids);
            out.put("image_embeds", rows(img));
            out.put("text_embeds", rows(txt));
            out.put("logits_per_image", rows(model.logits(img, txt)));
            return out;
        }
    }

    private static float[][] rows(Tensor t) {
        float[] f = t.toArray();
        int n = t.size(0), e = t.size(1);
        float[][] r = new float[n][];
        for (int i = 0; i < n; i++) r[i] = Arrays.copyOfRange(f, i * e, (i + 1) * e);
        return r;
    }

    @Override
    public Integer call() throws Exception {
        try (Clip clip = model.load()) {
            HfCheckpoints.save(clip.model(), clip.tokenizer(), out);
            System.out.println("wrote a Hugging Face CLIPModel folder (" + clip.kind() + " model) to " + out.toAbsolutePath());
            if (expected != null) {
                Files.writeString(expected, Json.write(referenceOutputs(clip)));
                System.out.println("wrote Vireo's outputs on fixed inputs to " + expected);
            }
        }
        return 0;
    }
}
