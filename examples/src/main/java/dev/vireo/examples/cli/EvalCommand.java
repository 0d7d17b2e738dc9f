package dev.vireo.examples.cli;

import dev.vireo.models.clip.ClipModel;
import dev.vireo.models.clip.ClipRuns;
import dev.vireo.models.eval.ClipEvaluator;
import dev.vireo.models.text.ClipTokenizer;
import dev.vireo.examples.data.DataSpecs;
import dev.vireo.models.train.ImageTextData;
import dev.vireo.models.train.LabelledImageData;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code vireo eval}: zero-shot accuracy (labelled data) and retrieval both ways on a held-out split. */
final class EvalCommand implements Command {
    @Override
    public String name() {
        return "eval";
    }

    @Override
    public String summary() {
        return "evaluate a trained model: zero-shot top-1/top-5 and retrieval R@K, MRR, mAP (--json)";
    }

    @Override
    public String usage() {
        return "vireo eval --model DIR [--data shapes[:N]|fashion-mnist[:N]|mnist[:N]] [--json] [--data-dir DIR]";
    }

    @Override
    public int run(List<String> argList) throws Exception {
        Args a = Args.parse(argList, Set.of("json"), Set.of("model", "data", "data-dir"));
        String dir = a.value("model", null);
        if (dir == null) throw new UsageException("--model DIR is required");
        ClipModel model = ClipRuns.load(Path.of(dir));
        String spec = a.value("data", "shapes");
        ImageTextData data = DataSpecs.load(spec, false, model.config().vision().imageSize(),
                Path.of(a.value("data-dir", DataSpecs.defaultDataDir().toString())));
        ClipEvaluator eval = new ClipEvaluator(model, ClipTokenizer.openai());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("model", dir);
        out.put("data", spec);
        out.put("images", data.size());
        if (data instanceof LabelledImageData labelled) {
            float[] emb = eval.imageEmbeddings(data);
            double[] acc = eval.zeroShot(emb, data.size(), labelled.classNames(), labelled.templates(), labelled.labels());
            out.put("zeroshot", Map.of("top1", acc[0], "top5", acc[1]));
        } else {
            ClipEvaluator.Retrieval r = eval.retrieval(data);
            out.put("retrieval", Map.of("image_to_text", r.metrics().imageToText().toMap(),
                    "text_to_image", r.metrics().textToImage().toMap()));
        }
        if (a.flag("json")) {
            System.out.println(Json.write(out));
        } else {
            out.forEach((k, v) -> System.out.println(k + ": " + v));
        }
        return 0;
    }
}
