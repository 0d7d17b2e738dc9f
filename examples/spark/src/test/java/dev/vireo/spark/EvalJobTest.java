package dev.vireo.spark;

import dev.vireo.engine.autograd.Norms;
import dev.vireo.engine.tensor.Tensor;
import dev.vireo.examples.data.DataSpecs;
import dev.vireo.models.Clip;
import dev.vireo.models.clip.ClipRuns;
import dev.vireo.models.config.ClipConfig;
import dev.vireo.models.config.TextConfig;
import dev.vireo.models.config.VisionConfig;
import dev.vireo.models.data.shapes.ShapesWorld;
import dev.vireo.models.eval.ClipEvaluator;
import dev.vireo.models.eval.RetrievalMetrics;
import dev.vireo.models.text.ClipTokenizer;
import dev.vireo.models.train.ClipTrainer;
import dev.vireo.models.train.ImageTextData;
import dev.vireo.models.train.ShapesData;
import dev.vireo.models.train.TrainConfig;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Distributed evaluation gives vireo eval's figures on the same images, to the bit. */
class EvalJobTest {
    static final ClipConfig MICRO = new ClipConfig("micro", 32, new VisionConfig(16, 8, 32, 1, 2, 2.0, "gelu"),
            new TextConfig(16, 49408, 32, 1, 2, 2.0, "gelu"));

    @TempDir
    Path tmp;

    @Test
    void retrievalEqualsVireoEvalOnTheSameCaptionTable() throws Exception {
        SparkSession spark = TestSpark.session();
        Path run = tmp.resolve("run");
        ClipTrainer.train(MICRO, ShapesData.split(true, 8, new ShapesWorld.Config(16, 1, 1)),
                TrainConfig.builder().steps(3).batch(8).lr(3e-3).warmup(1).seed(7).outDir(run).checkpointEvery(0).build());
        List<Path> files = TestSpark.images(tmp.resolve("photos"), 37, 3);
        String[] words = {"red", "blue", "small", "large", "striped", "noisy", "square", "round"};
        StringBuilder csv = new StringBuilder("image,caption\n");
        for (int i = 0; i < files.size(); i++) {
            for (int c = 0; c < 1 + i % 3; c++) {
                csv.append(files.get(i).getFileName()).append(",a ").append(words[(i + c) % 8]).append(' ').append(words[(i * 3 + c) % 8])
                        .append(" picture ").append(i % 5).append('\n');
            }
        }
        Path table = tmp.resolve("photos/captions.csv");
        Files.writeString(table, csv);

        // vireo eval --model RUN --data csv:TABLE does exactly this
        ImageTextData data = DataSpecs.load("csv:" + table, false, 16, tmp);
        ClipEvaluator.Retrieval expected = new ClipEvaluator(ClipRuns.load(run), ClipTokenizer.openai()).retrieval(data);

        EmbedJob.run(spark, ImageInputs.read(spark, List.of(table.toString())), new EmbedJob.Options(run.toString(), null, 5, 3, -1),
                tmp.resolve("emb"));
        Map<String, Object> got = EvalJob.run(spark, spark.read().parquet(tmp.resolve("emb/embeddings").toString()), null, null,
                DataSpecs.CAPTION_TEMPLATES);
        @SuppressWarnings("unchecked")
        Map<String, Object> retrieval = (Map<String, Object>) got.get("retrieval");
        assertThat(retrieval.get("texts")).isEqualTo(expected.texts());
        assertThat(retrieval.get("image_to_text")).isEqualTo(expected.metrics().imageToText().toMap());
        assertThat(retrieval.get("text_to_image")).isEqualTo(expected.metrics().textToImage().toMap());
        assertThat(got).doesNotContainKey("zeroshot");
    }

    @Test
    void zeroShotEqualsTheEvaluatorsOnTheSameEmbeddings() throws Exception {
        SparkSession spark = TestSpark.session();
        List<Path> files = new ArrayList<>();
        String[] classes = {"red_square", "cat", "dog"};
        for (int c = 0; c < classes.length; c++) files.addAll(TestSpark.images(tmp.resolve("set/" + classes[c]), 9 + c, 10 + c));
        EmbedJob.run(spark, ImageInputs.read(spark, List.of(tmp.resolve("set").toString())),
                new EmbedJob.Options(TestSpark.MODEL.toString(), null, 4, 2, -1), tmp.resolve("emb"));
        List<String> templates = List.of("a photo of a {}.", "a drawing of a {}.");
        Map<String, Object> got = EvalJob.run(spark, spark.read().parquet(tmp.resolve("emb/embeddings").toString()), null, null, templates);

        files.sort(null);
        try (Clip clip = Clip.load(TestSpark.MODEL)) {
            int e = clip.model().config().embedDim();
            float[] raw = new float[files.size() * e]; // (N, E)
            int[] labels = new int[files.size()];
            List<String> sorted = List.of("cat", "dog", "red_square");
            for (int i = 0; i < files.size(); i++) {
                System.arraycopy(clip.encodeEach(List.of(files.get(i))).getFirst().features(), 0, raw, i * e, e);
                labels[i] = sorted.indexOf(files.get(i).getParent().getFileName().toString());
            }
            float[] img = Norms.l2Normalize(Tensor.of(raw, files.size(), e), -1, Norms.NORMALIZE_EPS).toArray();
            double[] acc = new ClipEvaluator(clip.model(), clip.tokenizer()).zeroShot(img, files.size(),
                    List.of("cat", "dog", "red square"), templates, labels);
            @SuppressWarnings("unchecked")
            Map<String, Object> zs = (Map<String, Object>) got.get("zeroshot");
            assertThat(zs.get("classes")).isEqualTo(sorted);
            assertThat(zs.get("top1")).isEqualTo(acc[0]);
            assertThat(zs.get("top5")).isEqualTo(acc[1]);
        }
        assertThat(got).doesNotContainKey("retrieval");
    }
}
