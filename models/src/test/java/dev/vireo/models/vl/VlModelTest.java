package dev.vireo.models.vl;

import dev.vireo.engine.autograd.GradCheck;
import dev.vireo.engine.tensor.Rng;
import dev.vireo.engine.tensor.Tensor;
import dev.vireo.models.config.BertConfig;
import dev.vireo.models.config.VisionConfig;
import dev.vireo.models.config.VlConfig;
import dev.vireo.models.config.VlConfig.LayerKind;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The fusion switch per layer, the heads' shapes, gradients through the fusion layers, and what early fusion refuses. */
class VlModelTest {
    static VlConfig micro(String fusion) {
        int visionLayers = fusion.equals("early") ? 0 : 1;
        int fusionLayers = switch (fusion) {
            case "early" -> 2;
            case "mid" -> 1;
            default -> 0;
        };
        return new VlConfig("micro-" + fusion, fusion, 8, new VisionConfig(8, 4, 12, visionLayers, 2, 2.0, "gelu"),
                new BertConfig(20, 8, 2, 2, 16, 10, 2, 1e-12, "gelu", false), fusionLayers);
    }

    @Test
    void eachFusionSwitchesItsLayers() {
        assertThat(micro("late").layerKind(0)).isEqualTo(LayerKind.TEXT);
        assertThat(micro("late").layerKind(1)).isEqualTo(LayerKind.TEXT);
        assertThat(micro("mid").layerKind(0)).isEqualTo(LayerKind.TEXT);
        assertThat(micro("mid").layerKind(1)).isEqualTo(LayerKind.CROSS);
        assertThat(micro("early").layerKind(0)).isEqualTo(LayerKind.JOINT);
        VlModel mid = new VlModel(micro("mid"), 1);
        assertThat(mid.namedParameters()).containsKeys("text_model.encoder.layer.1.crossattention.self.key.weight",
                "vision_proj.weight", "text_proj.weight", "itm_head.weight", "mlm_head.decoder.weight", "logit_scale");
        assertThat(mid.namedParameters()).doesNotContainKey("text_model.encoder.layer.0.crossattention.self.key.weight");
        VlModel early = new VlModel(micro("early"), 1);
        assertThat(early.namedParameters()).containsKey("image_join.type_embedding").doesNotContainKey("vision_proj.weight");
    }

    @Test
    void gatheredMatchingEqualsMatchingOnGatheredImages() {
        for (String fusion : new String[] {"early", "mid", "late"}) {
            VlModel model = new VlModel(micro(fusion), 4);
            int[] ids = {2, 7, 8, 3, 0, 2, 9, 10, 11, 3, 2, 5, 3, 0, 0, 2, 6, 6, 3, 0};
            Tensor mask = Tensor.of(new float[] {1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 1, 1, 1, 1, 0}, 4, 5); // (M, T)
            int[] rows = {1, 0, 1, 1};
            float[][] logits = new float[2][];
            float[][] grads = new float[2][];
            for (int way = 0; way < 2; way++) {
                model.zeroGrad();
                Tensor image = model.imageTokens(Tensor.randn(new Rng(3), 0f, 1f, 2, 3, 8, 8)); // (2, S, Cv)
                Tensor text = model.textTokens(ids, mask, 4, 5);                                 // (4, 5, C)
                Tensor out = way == 0 ? model.matchLogits(text, mask, image, rows)               // (4, 2)
                        : model.matchLogits(text, mask, image.indexSelect(0, rows));             // (4, 2)
                out.mul(Tensor.randn(new Rng(5), 0f, 1f, 4, 2)).sum().backward();
                logits[way] = out.toArray();
                grads[way] = model.namedParameters().get("vision_model.embeddings.patch_embedding.weight").value().grad().toArray();
            }
            for (int k = 0; k < logits[0].length; k++) assertThat(logits[0][k]).as(fusion).isCloseTo(logits[1][k], org.assertj.core.data.Offset.offset(1e-6f));
            for (int k = 0; k < grads[0].length; k++) assertThat(grads[0][k]).as(fusion).isCloseTo(grads[1][k], org.assertj.core.data.Offset.offset(1e-5f));
        }
    }

    @Test
    void headsHaveTheirShapesForEveryFusion() {
        for (String fusion : new String[] {"early", "mid", "late"}) {
            VlModel model = new VlModel(micro(fusion), 2);
            Tensor images = Tensor.randn(new Rng(3), 0f, 1f, 3, 3, 8, 8); // (B, 3, S, S)
            int[] ids = {2, 7, 8, 3, 0, 2, 9, 10, 11, 3, 2, 5, 3, 0, 0};
            Tensor mask = Tensor.of(new float[] {1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0}, 3, 5); // (B, T)
            Tensor image = model.imageTokens(images);              // (3, 5, 12)
            Tensor text = model.textTokens(ids, mask, 3, 5);       // (3, 5, 8)
            assertThat(image.shape()).containsExactly(3, 5, 12);
            assertThat(text.shape()).containsExactly(3, 5, 8);
            assertThat(model.matchLogits(text, mask, image).shape()).containsExactly(3, 2);
            Tensor fused = model.fuse(text, mask, image);
            assertThat(fused.shape()).containsExactly(3, fusion.equals("early") ? 10 : 5, 8);
            assertThat(model.mlmLogits(fused.reshape(-1, 8)).size(1)).isEqualTo(20);
        }
    }

    @Test
    void theTextSeesTheImageOnlyThroughFusion() {
        Tensor a = Tensor.randn(new Rng(4), 0f, 1f, 1, 3, 8, 8), b = Tensor.randn(new Rng(5), 0f, 1f, 1, 3, 8, 8);
        int[] ids = {2, 7, 8, 3};
        for (String fusion : new String[] {"early", "mid", "late"}) {
            VlModel model = new VlModel(micro(fusion), 6);
            Tensor text = model.textTokens(ids, null, 1, 4);
            float[] withA = model.fuse(text, null, model.imageTokens(a)).narrow(1, 0, 4).contiguous().toArray();
            float[] withB = model.fuse(text, null, model.imageTokens(b)).narrow(1, 0, 4).contiguous().toArray();
            if (fusion.equals("late")) assertThat(withA).containsExactly(withB);
            else assertThat(withA).isNotEqualTo(withB);
        }
    }

    @Test
    void gradientsFlowThroughTheFusionLayers() {
        for (String fusion : new String[] {"early", "mid"}) {
            VlModel model = new VlModel(micro(fusion), 7);
            Tensor mask = Tensor.of(new float[] {1, 1, 1, 0, 1, 1, 1, 1}, 2, 4); // (B, T)
            Tensor text = Tensor.randn(new Rng(8), 0f, 1f, 2, 4, 8).requiresGrad(true);   // (B, T, C)
            Tensor image = Tensor.randn(new Rng(9), 0f, 1f, 2, 5, 12).requiresGrad(true); // (B, S, Cv)
            GradCheck.Result r = GradCheck.check(t -> model.matchLogits(t[0], mask, t[1]), new Tensor[] {text, image}, 1e-2, 2e-3, 2e-2);
            assertThat(r.ok()).as(fusion + ": " + r.worst()).isTrue();
        }
    }

    @Test
    void maskedPatchesBecomeTheMaskTokenAndNothingElseChanges() {
        VlModel model = new VlModel(micro("mid").withRegionClasses(5), 10);
        Tensor a = Tensor.randn(new Rng(11), 0f, 1f, 1, 3, 8, 8), b = Tensor.randn(new Rng(12), 0f, 1f, 1, 3, 8, 8); // (1, 3, S, S)
        assertThat(model.maskedImageTokens(a, Tensor.zeros(1, 4, 1)).toArray()).containsExactly(model.imageTokens(a).toArray());
        // every patch masked: the pixels reach no token any more
        Tensor all = Tensor.ones(1, 4, 1);
        assertThat(model.maskedImageTokens(a, all).toArray()).containsExactly(model.maskedImageTokens(b, all).toArray());
        Tensor first = Tensor.of(new float[] {1, 0, 0, 0}, 1, 4, 1); // (1, P, 1)
        assertThat(model.maskedImageTokens(a, first).toArray()).isNotEqualTo(model.imageTokens(a).toArray());
        Tensor hidden = Tensor.randn(new Rng(13), 0f, 1f, 3, 12);   // (N, Cv)
        assertThat(model.patchColourLogits(hidden).shape()).containsExactly(3, VlModel.COLOUR_BINS);
        assertThat(model.regionLogits(hidden).shape()).containsExactly(3, 5);
        assertThatThrownBy(() -> new VlModel(micro("mid"), 1).regionLogits(hidden)).hasMessageContaining("no region classes");
    }

    @Test
    void earlyFusionHasNoEmbeddingsOfEitherSideAlone() {
        VlModel early = new VlModel(micro("early"), 1);
        Tensor image = early.imageTokens(Tensor.zeros(1, 3, 8, 8));
        assertThatThrownBy(() -> early.imageEmbedding(image)).hasMessageContaining("early fusion");
        VlPretraining itc = new VlPretraining(VlPretraining.Objective.parse("itc,itm"), null);
        assertThatThrownBy(() -> itc.check(early)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--objectives itm,mlm");
    }

    @Test
    void badConfigsAreOneLineErrors() {
        BertConfig text = new BertConfig(20, 8, 2, 2, 16, 10, 2, 1e-12, "gelu", false);
        VisionConfig vision = new VisionConfig(8, 4, 12, 1, 2, 2.0, "gelu");
        assertThatThrownBy(() -> new VlConfig("x", "late", 8, vision, text, 1)).hasMessageContaining("late fusion has no fusion layers");
        assertThatThrownBy(() -> new VlConfig("x", "mid", 8, vision, text, 3)).hasMessageContaining("exceeds the 2 layers");
        assertThatThrownBy(() -> new VlConfig("x", "sideways", 8, vision, text, 1)).hasMessageContaining("fusion 'sideways'");
        assertThatThrownBy(() -> new VlConfig("x", "mid", 8, new VisionConfig(8, 4, 12, 0, 2, 2.0, "gelu"), text, 1))
                .hasMessageContaining("vision.layers must be positive");
        assertThatThrownBy(() -> VlConfig.fromJson("{\"name\": \"x\", \"fusion\": \"mid\"}")).hasMessageContaining("embedDim must be positive");
        assertThatThrownBy(() -> micro("mid").checkFits(10, "ckpt")).hasMessageContaining("does not belong to these weights");
        for (String name : VlConfig.list()) assertThat(VlConfig.create(name).name()).isEqualTo(name);
    }
}
