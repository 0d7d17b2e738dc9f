package dev.vireo.models.train;

import dev.vireo.engine.io.Checkpoint;
import dev.vireo.models.caption.ImageCaptioner;
import dev.vireo.models.caption.TrainedCaptioner;
import dev.vireo.models.coca.CocaModel;
import dev.vireo.models.coca.CocaRuns;
import dev.vireo.models.config.BertConfig;
import dev.vireo.models.config.CocaConfig;
import dev.vireo.models.config.VisionConfig;
import dev.vireo.models.data.shapes.ShapesWorld;
import dev.vireo.models.eval.CocaEvaluator;
import dev.vireo.models.generate.GenerationConfig;
import dev.vireo.models.image.RgbImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * CoCa training: both losses fall on a tiny overfit and are logged; the run folder captions through
 * the shared captioner and embeds for retrieval; resume is bit-exact; damaged folders are refused.
 */
class CocaTrainerTest {
    private static final ShapesWorld.Config WORLD = new ShapesWorld.Config(16, 1, 2);

    static CocaConfig micro() {
        return new CocaConfig("micro-coca", new VisionConfig(16, 8, 16, 1, 2, 2.0, "gelu"),
                new BertConfig(400, 16, 3, 2, 32, 32, 0, 1e-12, "gelu", false), 1, 4, 2, 16);
    }

    @TempDir
    Path dir;

    @Test
    void bothLossesFallAndTheRunFolderCaptionsAndEmbeds() throws Exception {
        ShapesData data = ShapesData.split(true, 16, WORLD);
        Path run = dir.resolve("run");
        var r = CocaTrainer.train(micro(), data, "a picture of", VlTrainerTest.config(run, 60).build());
        double first = 0, last = 0;
        for (int k = 0; k < 5; k++) {
            first += r.losses().get(k)[1];
            last += r.losses().get(r.losses().size() - 1 - k)[1];
        }
        assertThat(last).isLessThan(0.8 * first);
        String log = Files.readString(run.resolve("metrics.jsonl"));
        assertThat(log).contains("\"loss_contrastive\"").contains("\"loss_caption\"").contains("\"logit_scale\"");
        assertThat(CocaRuns.isCocaRun(run)).isTrue();

        CocaRuns.Loaded loaded = CocaRuns.load(run);
        TrainedCaptioner captioner = new TrainedCaptioner(loaded.model(), loaded.tokenizer(), loaded.prompt());
        RgbImage image = new RgbImage(16, 16, data.scenes().getFirst().renderRgb());
        List<ImageCaptioner.Caption> captions = captioner.caption(List.of(image, image), "", GenerationConfig.greedy(8));
        assertThat(captions.get(0).text()).startsWith("a picture of");
        assertThat(captions.get(0).ids()).isEqualTo(captions.get(1).ids());

        CocaEvaluator eval = new CocaEvaluator(loaded.model(), loaded.tokenizer());
        var retrieval = eval.retrieval(data);
        assertThat(retrieval.imageToText().r1()).isBetween(0.0, 1.0);
        assertThat(retrieval.textToImage().r5()).isGreaterThanOrEqualTo(retrieval.textToImage().r1());
    }

    @Test
    void theJointLossReachesEveryWeight() {
        ShapesData data = ShapesData.split(true, 8, WORLD);
        CocaModel model = new CocaModel(micro(), 3);
        BatchSampler.Batch b = new BatchSampler(data, caption -> new int[] {2, 10 + caption.length() % 7, 11, 3}, 32, 5,
                BatchAugment.of(TrainConfig.Augment.NONE, 16)).batch(0, 4);
        CocaTrainer.BatchLoss loss = CocaTrainer.loss(model, b, 1, 0, 3);
        assertThat(loss.contrastive()).isPositive();
        assertThat(loss.caption()).isPositive();
        loss.total().backward();
        model.namedParameters().forEach((name, p) -> {
            float[] g = p.value().gradBuffer();
            assertThat(g).as("%s has a gradient", name).isNotNull();
            double norm = 0;
            for (float x : g) norm += x * x;
            assertThat(norm).as("%s has a non-zero gradient", name).isPositive();
        });
    }

    @Test
    void resumeIsBitExact() throws Exception {
        ShapesData data = ShapesData.split(true, 16, WORLD);
        Path straight = dir.resolve("straight"), split = dir.resolve("split");
        CocaTrainer.train(micro(), data, "", VlTrainerTest.config(straight, 6).build());
        CocaTrainer.train(micro(), data, "", VlTrainerTest.config(split, 6).build(), 3);
        CocaTrainer.train(micro(), data, "", VlTrainerTest.config(split, 6).resume(true).build());
        Checkpoint a = Checkpoint.load(straight.resolve(ClipTrainer.CHECKPOINT)), b = Checkpoint.load(split.resolve(ClipTrainer.CHECKPOINT));
        assertThat(b.step()).isEqualTo(6);
        assertThat(a.model().keySet()).contains("logit_scale", "text.cls_emb", "attn_pool.query");
        a.model().forEach((param, t) -> assertThat(Arrays.equals(b.model().get(param).toArray(), t.toArray())).as(param).isTrue());
        assertThatThrownBy(() -> CocaTrainer.train(micro(), data, "a photo of", VlTrainerTest.config(split, 6).resume(true).build()))
                .hasMessageContaining("was trained after the prompt '', not 'a photo of'");
    }

    @Test
    void damagedRunFoldersAreRefusedOnOneLine() throws Exception {
        Path run = dir.resolve("run");
        CocaTrainer.train(micro(), ShapesData.split(true, 8, WORLD), "", VlTrainerTest.config(run, 1).warmup(0).build());
        assertThat(CocaRuns.load(run).model()).isInstanceOf(CocaModel.class);
        Files.writeString(run.resolve("vocab.txt"), "[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\n");
        assertThatThrownBy(() -> CocaRuns.load(run)).hasMessageContaining("vocab.txt holds 5 tokens but config.json says");
        Files.writeString(run.resolve("config.json"), "{\"name\": \"x\",\n \"captionQueries\": ");
        assertThatThrownBy(() -> CocaRuns.load(run)).hasMessageContaining("coca config").satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        Files.delete(run.resolve("prompt.txt"));
        assertThatThrownBy(() -> CocaRuns.load(run)).hasMessageContaining("has no prompt.txt");
        assertThat(CocaRuns.isCocaRun(run)).isFalse();
        assertThatThrownBy(() -> CocaRuns.load(dir.resolve("absent"))).hasMessageContaining("does not exist");
    }
}
