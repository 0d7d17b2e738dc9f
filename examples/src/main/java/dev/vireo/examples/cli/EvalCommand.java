package dev.vireo.examples.cli;

import dev.vireo.examples.data.DataSpecs;
import dev.vireo.models.clip.ClipModel;
import dev.vireo.models.clip.ClipRuns;
import dev.vireo.models.eval.ClipEvaluator;
import dev.vireo.models.text.ClipTokenizer;
import dev.vireo.models.train.ImageTextData;
import dev.vireo.models.train.LabelledImageData;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code vireo eval}: zero-shot accuracy (labelled data) and retrieval both ways on a held-out split. */
@Command(name = "eval", description = "evaluate a trained model: zero-shot top-1/top-5 and retrieval R@K, MRR, mAP (--json)")
final class EvalCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "DIR", description = "a Vireo run folder")
    Path dir;

    @Mixin
    Mixins.Data data;

    @Option(names = "--json", description = "print one JSON document")
    boolean json;

    @Override
    public Integer call() throws Exception {
        Map<String, Object> out = new LinkedHashMap<>();
        try (ClipRuns.Mapped run = ClipRuns.loadMapped(dir)) { // the weights stay in the mapped checkpoint
            ClipModel model = run.model();
            ImageTextData data = this.data.load(false, model.config().vision().imageSize());
            ClipEvaluator eval = new ClipEvaluator(model, ClipTokenizer.openai());
            out.put("model", dir.toString());
            out.put("data", this.data.spec);
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
        }
        if (json) {
            System.out.println(Json.write(out));
        } else {
            out.forEach((k, v) -> System.out.println(k + ": " + v));
        }
        return 0;
    }
}
