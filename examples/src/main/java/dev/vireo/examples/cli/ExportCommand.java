package dev.vireo.examples.cli;

import dev.vireo.models.Clip;
import dev.vireo.models.hf.HfCheckpoints;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/** {@code vireo export}: writes any loadable model as a Hugging Face CLIPModel folder. */
final class ExportCommand implements Command {
    @Override
    public String name() {
        return "export";
    }

    @Override
    public String summary() {
        return "save a model (e.g. a Vireo run) as a Hugging Face CLIPModel folder";
    }

    @Override
    public String usage() {
        return "vireo export --model DIR|FILE [--config NAME] --out DIR [--expected FILE.json]\n"
                + "  --expected writes Vireo's outputs on fixed inputs, for hf/check_vireo_export.py to compare with PyTorch";
    }

    /** Outputs on three held-out shapes scenes and four captions, in the layout check_vireo_export.py reads. */
    static java.util.Map<String, Object> referenceOutputs(Clip clip) {
        var model = clip.model();
        int side = model.config().vision().imageSize(), ctx = model.config().text().contextLength();
        var data = dev.vireo.models.train.ShapesData.split(false, 3, dev.vireo.models.data.shapes.ShapesWorld.Config.of(side));
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
        try (var ignored = dev.vireo.engine.tensor.GradMode.noGrad()) {
            var img = model.encodeImage(dev.vireo.engine.tensor.Tensor.of(pixels, 3, 3, side, side)); // (3, E)
            var txt = model.encodeText(flat, captions.size(), ctx);                                    // (4, E)
            var out = new java.util.LinkedHashMap<String, Object>();
            out.put("pixel_values", java.util.Map.of("shape", List.of(3, 3, side, side), "data", pixels));
            out.put("captions", captions);
            out.put("input_ids", ids);
            out.put("image_embeds", rows(img));
            out.put("text_embeds", rows(txt));
            out.put("logits_per_image", rows(model.logits(img, txt)));
            return out;
        }
    }

    private static float[][] rows(dev.vireo.engine.tensor.Tensor t) {
        float[] f = t.toArray();
        int n = t.size(0), e = t.size(1);
        float[][] r = new float[n][];
        for (int i = 0; i < n; i++) r[i] = java.util.Arrays.copyOfRange(f, i * e, (i + 1) * e);
        return r;
    }

    @Override
    public int run(List<String> argList) throws Exception {
        Args a = Args.parse(argList, Set.of(), Set.of("model", "config", "out", "expected"));
        String model = a.value("model", null), out = a.value("out", null);
        if (model == null || out == null) throw new UsageException("--model and --out are required");
        try (Clip clip = Clip.load(Path.of(model), a.value("config", null))) {
            HfCheckpoints.save(clip.model(), clip.tokenizer(), Path.of(out));
            System.out.println("wrote a Hugging Face CLIPModel folder (" + clip.kind() + " model) to " + Path.of(out).toAbsolutePath());
            String expected = a.value("expected", null);
            if (expected != null) {
                java.nio.file.Files.writeString(Path.of(expected), Json.write(referenceOutputs(clip)));
                System.out.println("wrote Vireo's outputs on fixed inputs to " + expected);
            }
        }
        return 0;
    }
}
