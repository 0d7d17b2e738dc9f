package dev.vireo.models.hf;

import dev.vireo.engine.tensor.Shapes;
import dev.vireo.engine.tensor.Tensor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Renames a CLIP state dict between open_clip's names and Hugging Face {@code CLIPModel}'s (the names
 * Vireo's CLIP uses). open_clip packs q/k/v into {@code attn.in_proj_weight} (3C,C) and stores the
 * projections as (C,E) matrices applied as {@code x @ proj}; HF keeps q/k/v apart and stores
 * {@code visual_projection.weight} / {@code text_projection.weight} as (E,C) Linear weights.
 * Renamed tensors are passed through; split, packed and transposed ones are new contiguous copies.
 */
public final class OpenClipNames {
    /** open_clip name -> HF name, outside the transformer blocks. */
    private static final Map<String, String> TOP = Map.ofEntries(
            Map.entry("visual.class_embedding", "vision_model.embeddings.class_embedding"),
            Map.entry("visual.conv1.weight", "vision_model.embeddings.patch_embedding.weight"),
            Map.entry("visual.positional_embedding", "vision_model.embeddings.position_embedding.weight"),
            Map.entry("visual.ln_pre.weight", "vision_model.pre_layrnorm.weight"),
            Map.entry("visual.ln_pre.bias", "vision_model.pre_layrnorm.bias"),
            Map.entry("visual.ln_post.weight", "vision_model.post_layernorm.weight"),
            Map.entry("visual.ln_post.bias", "vision_model.post_layernorm.bias"),
            Map.entry("token_embedding.weight", "text_model.embeddings.token_embedding.weight"),
            Map.entry("positional_embedding", "text_model.embeddings.position_embedding.weight"),
            Map.entry("ln_final.weight", "text_model.final_layer_norm.weight"),
            Map.entry("ln_final.bias", "text_model.final_layer_norm.bias"),
            Map.entry("logit_scale", "logit_scale"));
    /** open_clip projection (C,E) -> HF projection weight (E,C). */
    private static final Map<String, String> PROJ = Map.of(
            "visual.proj", "visual_projection.weight", "text_projection", "text_projection.weight");
    /** open_clip resblock suffix -> HF encoder-layer suffix, for the tensors that are only renamed. */
    private static final Map<String, String> LAYER = Map.ofEntries(
            Map.entry("attn.out_proj.weight", "self_attn.out_proj.weight"), Map.entry("attn.out_proj.bias", "self_attn.out_proj.bias"),
            Map.entry("ln_1.weight", "layer_norm1.weight"), Map.entry("ln_1.bias", "layer_norm1.bias"),
            Map.entry("mlp.c_fc.weight", "mlp.fc1.weight"), Map.entry("mlp.c_fc.bias", "mlp.fc1.bias"),
            Map.entry("mlp.c_proj.weight", "mlp.fc2.weight"), Map.entry("mlp.c_proj.bias", "mlp.fc2.bias"),
            Map.entry("ln_2.weight", "layer_norm2.weight"), Map.entry("ln_2.bias", "layer_norm2.bias"));
    /** open_clip block prefix -> HF layer prefix, per tower. */
    private static final Map<String, String> TOWERS = Map.of(
            "visual.transformer.resblocks.", "vision_model.encoder.layers.", "transformer.resblocks.", "text_model.encoder.layers.");
    private static final String[] QKV = {"q", "k", "v"};

    private OpenClipNames() {}

    /** An open_clip state dict in HF names; an unknown name or a bad in_proj/proj shape is an error. */
    public static Map<String, Tensor> toHf(Map<String, Tensor> openClip) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        List<String> unknown = new ArrayList<>();
        for (Map.Entry<String, Tensor> e : openClip.entrySet()) {
            String name = e.getKey();
            Tensor t = e.getValue();
            if (TOP.containsKey(name)) {
                out.put(TOP.get(name), t);
            } else if (PROJ.containsKey(name)) {
                out.put(PROJ.get(name), transpose(name, t));
            } else {
                String[] block = splitBlock(name, TOWERS);
                if (block == null) {
                    unknown.add(name);
                    continue;
                }
                String hfBlock = TOWERS.get(block[0]) + block[1] + ".";
                String suffix = block[2];
                if (LAYER.containsKey(suffix)) {
                    out.put(hfBlock + LAYER.get(suffix), t);
                } else if (suffix.equals("attn.in_proj_weight") || suffix.equals("attn.in_proj_bias")) {
                    String kind = suffix.endsWith("weight") ? "weight" : "bias";
                    Tensor[] parts = splitInProj(name, t);
                    for (int i = 0; i < 3; i++) out.put(hfBlock + "self_attn." + QKV[i] + "_proj." + kind, parts[i]);
                } else {
                    unknown.add(name);
                }
            }
        }
        if (!unknown.isEmpty()) throw new IllegalArgumentException("OpenClipNames.toHf: unknown open_clip tensor names " + unknown);
        return out;
    }

    /** An HF CLIPModel state dict in open_clip names; {@code *.position_ids} buffers are dropped. */
    public static Map<String, Tensor> fromHf(Map<String, Tensor> hf) {
        Map<String, String> top = invert(TOP);
        Map<String, String> proj = invert(PROJ);
        Map<String, String> layer = invert(LAYER);
        Map<String, String> towers = invert(TOWERS);
        Map<String, Tensor> out = new LinkedHashMap<>();
        List<String> unknown = new ArrayList<>();
        for (Map.Entry<String, Tensor> e : hf.entrySet()) {
            String name = e.getKey();
            Tensor t = e.getValue();
            if (name.endsWith(".position_ids")) continue;
            if (top.containsKey(name)) {
                out.put(top.get(name), t);
            } else if (proj.containsKey(name)) {
                out.put(proj.get(name), transpose(name, t));
            } else {
                String[] block = splitBlock(name, towers);
                if (block == null) {
                    unknown.add(name);
                    continue;
                }
                String ocBlock = towers.get(block[0]) + block[1] + ".";
                String suffix = block[2];
                if (layer.containsKey(suffix)) {
                    out.put(ocBlock + layer.get(suffix), t);
                } else if (suffix.startsWith("self_attn.q_proj.")) {
                    String kind = suffix.substring("self_attn.q_proj.".length());
                    out.put(ocBlock + "attn.in_proj_" + kind, packInProj(hf, block[0] + block[1] + ".self_attn.", kind));
                } else if (!suffix.startsWith("self_attn.k_proj.") && !suffix.startsWith("self_attn.v_proj.")) {
                    unknown.add(name);
                }
            }
        }
        if (!unknown.isEmpty()) throw new IllegalArgumentException("OpenClipNames.fromHf: unknown HF tensor names " + unknown);
        return out;
    }

    /** {prefix, layer index, suffix} when {@code name} is inside a block of one of the towers, else null. */
    private static String[] splitBlock(String name, Map<String, String> towers) {
        for (String prefix : towers.keySet()) {
            if (!name.startsWith(prefix)) continue;
            String rest = name.substring(prefix.length());
            int dot = rest.indexOf('.');
            if (dot <= 0 || !rest.substring(0, dot).chars().allMatch(Character::isDigit)) return null;
            return new String[] {prefix, rest.substring(0, dot), rest.substring(dot + 1)};
        }
        return null;
    }

    /** (3C,C) or (3C) -> three (C,C) or (C) tensors q, k, v: row ranges of t (views of its storage when t is contiguous). */
    private static Tensor[] splitInProj(String name, Tensor t) {
        int[] s = t.shape();
        boolean ok = (s.length == 2 && s[0] == 3 * s[1]) || (s.length == 1 && s[0] % 3 == 0 && s[0] > 0);
        if (!ok) throw new IllegalArgumentException("OpenClipNames.toHf: " + name + " has shape " + Shapes.str(s)
                + ", expected (3C,C) for the weight or (3C) for the bias");
        int c = s[0] / 3;
        Tensor[] parts = new Tensor[3];
        for (int i = 0; i < 3; i++) {
            parts[i] = t.narrow(0, i * c, c).contiguous();  // C,C or C: no copy of a contiguous t (a mapped file stays mapped)
        }
        return parts;
    }

    /** q, k, v (C,C) or (C) -> (3C,C) or (3C). */
    private static Tensor packInProj(Map<String, Tensor> hf, String attnPrefix, String kind) {
        Tensor[] parts = new Tensor[3];
        for (int i = 0; i < 3; i++) {
            String key = attnPrefix + QKV[i] + "_proj." + kind;
            parts[i] = hf.get(key);
            if (parts[i] == null) throw new IllegalArgumentException("OpenClipNames.fromHf: " + key + " is missing, needed to pack in_proj_" + kind);
            if (!Shapes.equal(parts[i].shape(), parts[0].shape())) {
                throw new IllegalArgumentException("OpenClipNames.fromHf: " + key + " has shape " + Shapes.str(parts[i].shape())
                        + ", " + attnPrefix + "q_proj." + kind + " has " + Shapes.str(parts[0].shape()));
            }
        }
        int n = parts[0].numel();
        float[] packed = new float[3 * n];
        for (int i = 0; i < 3; i++) System.arraycopy(parts[i].toArray(), 0, packed, i * n, n);
        int[] shape = parts[0].shape();
        shape[0] *= 3;
        return Tensor.of(packed, shape);  // 3C,C or 3C
    }

    /** A 2-D tensor transposed into a new contiguous tensor: (C,E) <-> (E,C). */
    private static Tensor transpose(String name, Tensor t) {
        if (t.rank() != 2) throw new IllegalArgumentException("OpenClipNames: " + name + " has shape " + Shapes.str(t.shape())
                + ", expected a 2-D projection matrix");
        return Tensor.of(t.transpose(0, 1).toArray(), t.size(1), t.size(0));  // E,C or C,E
    }

    private static Map<String, String> invert(Map<String, String> map) {
        Map<String, String> out = new TreeMap<>();
        map.forEach((k, v) -> out.put(v, k));
        return out;
    }
}
