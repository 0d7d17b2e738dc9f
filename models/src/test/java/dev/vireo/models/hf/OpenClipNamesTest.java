package dev.vireo.models.hf;

import dev.vireo.engine.tensor.Rng;
import dev.vireo.engine.tensor.Tensor;
import dev.vireo.engine.testing.Fixtures;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

import static dev.vireo.engine.testing.Fixtures.ints;
import static dev.vireo.engine.testing.Fixtures.list;
import static dev.vireo.engine.testing.Fixtures.object;
import static dev.vireo.engine.testing.Fixtures.string;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OpenClipNamesTest {

    /** names.json: per naming ("hf", "open_clip"), each tensor's shape and dtype. */
    private static Map<String, Object> names(String section) {
        return object(Fixtures.json(OpenClipNamesTest.class, "/hf/tiny-clip/names.json").get(section));
    }

    /** Random tensors with the names and shapes a names.json section lists (position_ids skipped). */
    private static Map<String, Tensor> stateDict(String section, long seed) {
        Rng rng = new Rng(seed);
        Map<String, Tensor> out = new LinkedHashMap<>();
        names(section).forEach((name, tensor) -> {
            if (name.endsWith("position_ids")) return;
            out.put(name, Tensor.randn(rng, 0f, 1f, ints(object(tensor).get("shape"))));
        });
        return out;
    }

    private static Map<String, String> shapes(Map<String, Tensor> sd) {
        Map<String, String> out = new TreeMap<>();
        sd.forEach((k, v) -> out.put(k, Arrays.toString(v.shape())));
        return out;
    }

    @Test
    void namesAndShapesMatchTheReferenceMapping() {
        Map<String, Tensor> hf = stateDict("hf", 1);
        Map<String, Tensor> oc = stateDict("open_clip", 2);
        assertThat(shapes(OpenClipNames.toHf(oc))).isEqualTo(shapes(hf));
        assertThat(shapes(OpenClipNames.fromHf(hf))).isEqualTo(shapes(oc));
        assertThat(hf).hasSize(78);
        assertThat(oc).hasSize(62);
    }

    @Test
    void roundTripsBitForBit() {
        Map<String, Tensor> hf = stateDict("hf", 3);
        Map<String, Tensor> back = OpenClipNames.toHf(OpenClipNames.fromHf(hf));
        assertThat(back.keySet()).containsExactlyInAnyOrderElementsOf(hf.keySet());
        hf.forEach((k, v) -> assertThat(back.get(k).toArray()).as(k).isEqualTo(v.toArray()));
        Map<String, Tensor> oc = stateDict("open_clip", 4);
        Map<String, Tensor> ocBack = OpenClipNames.fromHf(OpenClipNames.toHf(oc));
        assertThat(ocBack.keySet()).containsExactlyInAnyOrderElementsOf(oc.keySet());
        oc.forEach((k, v) -> assertThat(ocBack.get(k).toArray()).as(k).isEqualTo(v.toArray()));
    }

    @Test
    void inProjSplitsAsQkvAndProjectionsTranspose() {
        Map<String, Tensor> oc = stateDict("open_clip", 5);
        Map<String, Tensor> hf = OpenClipNames.toHf(oc);
        Tensor inProj = oc.get("transformer.resblocks.1.attn.in_proj_weight");  // 96,32
        String[] qkv = {"q", "k", "v"};
        for (int i = 0; i < 3; i++) {
            Tensor part = hf.get("text_model.encoder.layers.1.self_attn." + qkv[i] + "_proj.weight");  // 32,32
            assertThat(part.shape()).containsExactly(32, 32);
            assertThat(part.get(7, 3)).isEqualTo(inProj.get(32 * i + 7, 3));
            Tensor bias = hf.get("text_model.encoder.layers.1.self_attn." + qkv[i] + "_proj.bias");
            assertThat(bias.get(5)).isEqualTo(oc.get("transformer.resblocks.1.attn.in_proj_bias").get(32 * i + 5));
        }
        Tensor proj = oc.get("visual.proj");  // C,E = 32,16
        Tensor weight = hf.get("visual_projection.weight");  // E,C = 16,32
        assertThat(weight.shape()).containsExactly(16, 32);
        assertThat(weight.get(3, 17)).isEqualTo(proj.get(17, 3));
        assertThat(hf.get("text_projection.weight").get(9, 30)).isEqualTo(oc.get("text_projection").get(30, 9));
        assertThat(hf.get("logit_scale").shape()).isEmpty();
        assertThat(hf.get("vision_model.embeddings.patch_embedding.weight")).isSameAs(oc.get("visual.conv1.weight"));
    }

    @Test
    void hfPositionIdsAreDropped() {
        Map<String, Tensor> hf = stateDict("hf", 6);
        hf.put("text_model.embeddings.position_ids", Tensor.arange(16).reshape(1, 16));
        assertThat(OpenClipNames.fromHf(hf)).doesNotContainKey("text_model.embeddings.position_ids").hasSize(62);
    }

    @Test
    void unknownNamesAndBadShapesAreClearErrors() {
        Map<String, Tensor> oc = stateDict("open_clip", 7);
        oc.put("visual.attnpool.weight", Tensor.zeros(2));
        assertThatThrownBy(() -> OpenClipNames.toHf(oc)).hasMessageContaining("unknown open_clip tensor names [visual.attnpool.weight]");
        Map<String, Tensor> bad = stateDict("open_clip", 8);
        bad.put("transformer.resblocks.0.attn.in_proj_weight", Tensor.zeros(5, 4));
        assertThatThrownBy(() -> OpenClipNames.toHf(bad))
                .hasMessageContaining("transformer.resblocks.0.attn.in_proj_weight has shape")
                .hasMessageContaining("expected (3C,C)");
        Map<String, Tensor> hf = stateDict("hf", 9);
        hf.remove("vision_model.encoder.layers.1.self_attn.k_proj.bias");
        assertThatThrownBy(() -> OpenClipNames.fromHf(hf)).hasMessageContaining("vision_model.encoder.layers.1.self_attn.k_proj.bias is missing");
        Map<String, Tensor> hf2 = stateDict("hf", 10);
        hf2.put("text_model.pooler.weight", Tensor.zeros(2));
        assertThatThrownBy(() -> OpenClipNames.fromHf(hf2)).hasMessageContaining("unknown HF tensor names [text_model.pooler.weight]");
        Map<String, Tensor> hf3 = stateDict("hf", 11);
        hf3.put("visual_projection.weight", Tensor.zeros(16));
        assertThatThrownBy(() -> OpenClipNames.fromHf(hf3)).hasMessageContaining("visual_projection.weight has shape");
    }

    @Test
    void namesJsonListsTheFixtureDtypes() {
        Map<String, Object> hf = names("hf");
        assertThat(string(object(hf.get("text_model.embeddings.token_embedding.weight")).get("dtype"))).isEqualTo("F16");
        assertThat(string(object(hf.get("text_model.embeddings.position_ids")).get("dtype"))).isEqualTo("I64");
        assertThat(list(object(hf.get("logit_scale")).get("shape"))).isEmpty();
        assertThat(ints(object(names("open_clip").get("visual.proj")).get("shape"))).containsExactly(32, 16);
    }
}
