"""Reference forward of Hugging Face's CLIPModel, written independently from `transformers`.

Computes what CLIPModel.get_image_features / get_text_features / forward compute, on a plain
{name: tensor} state dict in HF naming, in float64 (or float32 for comparison). Also maps the
state dict to open_clip's naming and back, and runs an open_clip-named forward as a check of that
mapping. Fixture generation lives in make_hf_fixtures.py; this file is imported, not run.
"""
import math

import torch

OPENCLIP_LAYER = {  # HF encoder-layer suffix -> open_clip resblock suffix (q/k/v are packed apart)
    "self_attn.out_proj.weight": "attn.out_proj.weight", "self_attn.out_proj.bias": "attn.out_proj.bias",
    "layer_norm1.weight": "ln_1.weight", "layer_norm1.bias": "ln_1.bias",
    "mlp.fc1.weight": "mlp.c_fc.weight", "mlp.fc1.bias": "mlp.c_fc.bias",
    "mlp.fc2.weight": "mlp.c_proj.weight", "mlp.fc2.bias": "mlp.c_proj.bias",
    "layer_norm2.weight": "ln_2.weight", "layer_norm2.bias": "ln_2.bias",
}
OPENCLIP_TOP = {  # HF name -> open_clip name for everything outside the encoder layers and projections
    "vision_model.embeddings.class_embedding": "visual.class_embedding",
    "vision_model.embeddings.patch_embedding.weight": "visual.conv1.weight",
    "vision_model.embeddings.position_embedding.weight": "visual.positional_embedding",
    "vision_model.pre_layrnorm.weight": "visual.ln_pre.weight",
    "vision_model.pre_layrnorm.bias": "visual.ln_pre.bias",
    "vision_model.post_layernorm.weight": "visual.ln_post.weight",
    "vision_model.post_layernorm.bias": "visual.ln_post.bias",
    "text_model.embeddings.token_embedding.weight": "token_embedding.weight",
    "text_model.embeddings.position_embedding.weight": "positional_embedding",
    "text_model.final_layer_norm.weight": "ln_final.weight",
    "text_model.final_layer_norm.bias": "ln_final.bias",
    "logit_scale": "logit_scale",
}
OPENCLIP_PROJ = {"visual_projection.weight": "visual.proj", "text_projection.weight": "text_projection"}
TOWERS = {"vision_model.encoder.layers.": "visual.transformer.resblocks.",
          "text_model.encoder.layers.": "transformer.resblocks."}


def activation(name, x):
    """HF ACT2FN for the activations CLIP checkpoints use."""
    if name == "quick_gelu":
        return x * torch.sigmoid(1.702 * x)
    if name == "gelu":
        return 0.5 * x * (1.0 + torch.erf(x / math.sqrt(2.0)))
    if name in ("gelu_new", "gelu_pytorch_tanh", "gelu_fast"):
        return 0.5 * x * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * x ** 3)))
    raise ValueError(f"clip_reference: unsupported hidden_act '{name}'")


def layer_norm(x, w, b, eps):
    """(x - mean) / sqrt(biased var + eps) * w + b over the last axis."""
    mean = x.mean(-1, keepdim=True)
    var = ((x - mean) ** 2).mean(-1, keepdim=True)
    return (x - mean) / torch.sqrt(var + eps) * w + b


def linear(x, sd, prefix):
    return x @ sd[prefix + ".weight"].t() + sd[prefix + ".bias"]


def attention(x, sd, prefix, heads, causal):
    """Multi-head self-attention: softmax(q k^T * D^-0.5 + mask) v, then out_proj."""
    b, t, c = x.shape
    d = c // heads
    q = linear(x, sd, prefix + ".q_proj").view(b, t, heads, d).transpose(1, 2)  # B,H,T,D
    k = linear(x, sd, prefix + ".k_proj").view(b, t, heads, d).transpose(1, 2)  # B,H,T,D
    v = linear(x, sd, prefix + ".v_proj").view(b, t, heads, d).transpose(1, 2)  # B,H,T,D
    scores = (q @ k.transpose(-1, -2)) * d ** -0.5  # B,H,T,T
    if causal:
        future = torch.triu(torch.ones(t, t, dtype=torch.bool), diagonal=1)
        scores = scores.masked_fill(future, float("-inf"))
    out = torch.softmax(scores, dim=-1) @ v  # B,H,T,D
    return linear(out.transpose(1, 2).reshape(b, t, c), sd, prefix + ".out_proj")  # B,T,C


def encoder(x, sd, prefix, cfg, causal):
    """Pre-LN transformer layers: x += attn(ln1(x)); x += fc2(act(fc1(ln2(x))))."""
    eps = cfg["layer_norm_eps"]
    for i in range(cfg["num_hidden_layers"]):
        p = f"{prefix}.encoder.layers.{i}"
        h = layer_norm(x, sd[p + ".layer_norm1.weight"], sd[p + ".layer_norm1.bias"], eps)
        x = x + attention(h, sd, p + ".self_attn", cfg["num_attention_heads"], causal)
        h = layer_norm(x, sd[p + ".layer_norm2.weight"], sd[p + ".layer_norm2.bias"], eps)
        x = x + linear(activation(cfg["hidden_act"], linear(h, sd, p + ".mlp.fc1")), sd, p + ".mlp.fc2")
    return x


def vision_pooled(sd, vcfg, pixels):
    """CLIPVisionTransformer pooler_output: post_layernorm of the class token."""
    b = pixels.shape[0]
    p = vcfg["patch_size"]
    w = sd["vision_model.embeddings.patch_embedding.weight"]  # C,3,p,p
    c, ch = w.shape[0], w.shape[1]
    g = pixels.shape[-1] // p
    patches = pixels.reshape(b, ch, g, p, g, p).permute(0, 2, 4, 1, 3, 5).reshape(b, g * g, ch * p * p)  # B,P,3pp
    x = patches @ w.reshape(c, -1).t()  # B,P,C: the stride-p convolution without bias
    cls = sd["vision_model.embeddings.class_embedding"].expand(b, 1, c)  # B,1,C
    x = torch.cat([cls, x], dim=1) + sd["vision_model.embeddings.position_embedding.weight"]  # B,T,C
    eps = vcfg["layer_norm_eps"]
    x = layer_norm(x, sd["vision_model.pre_layrnorm.weight"], sd["vision_model.pre_layrnorm.bias"], eps)
    x = encoder(x, sd, "vision_model", vcfg, causal=False)
    return layer_norm(x[:, 0], sd["vision_model.post_layernorm.weight"], sd["vision_model.post_layernorm.bias"], eps)


def pool_positions(ids, eos_token_id):
    """HF's pooling index: eos_token_id == 2 (configs before PR #24773) -> first position of the
    largest id; otherwise the first position of eos_token_id (position 0 if absent, as argmax does)."""
    out = []
    for row in ids.tolist():
        target = max(row) if eos_token_id == 2 else eos_token_id
        out.append(row.index(target) if target in row else 0)
    return out


def text_pooled(sd, tcfg, ids):
    """CLIPTextTransformer pooler_output: final_layer_norm of the hidden state at the pooling index."""
    t = ids.shape[1]
    x = sd["text_model.embeddings.token_embedding.weight"][ids]  # B,T,C
    x = x + sd["text_model.embeddings.position_embedding.weight"][:t]  # B,T,C
    x = encoder(x, sd, "text_model", tcfg, causal=True)
    x = layer_norm(x, sd["text_model.final_layer_norm.weight"], sd["text_model.final_layer_norm.bias"],
                   tcfg["layer_norm_eps"])
    return x[torch.arange(ids.shape[0]), pool_positions(ids, tcfg["eos_token_id"])]  # B,C


def clip_forward(sd, config, pixels, ids, dtype=torch.float64):
    """All outputs of CLIPModel on (pixels B,3,S,S; ids N,T): unnormalised features and logits."""
    sd = {k: v.to(dtype) for k, v in sd.items() if not k.endswith("position_ids")}
    pixels = pixels.to(dtype)
    img_pooled = vision_pooled(sd, config["vision_config"], pixels)  # B,C
    txt_pooled = text_pooled(sd, config["text_config"], ids)  # N,C
    image_embeds = img_pooled @ sd["visual_projection.weight"].t()  # B,E
    text_embeds = txt_pooled @ sd["text_projection.weight"].t()  # N,E
    cos = (image_embeds / image_embeds.norm(dim=-1, keepdim=True)) @ (text_embeds / text_embeds.norm(dim=-1, keepdim=True)).t()
    return {"image_pooled": img_pooled, "text_pooled": txt_pooled,
            "image_embeds": image_embeds, "text_embeds": text_embeds,
            "logits_per_image": sd["logit_scale"].exp() * cos}  # B,N


def hf_to_openclip(sd):
    """HF CLIPModel names -> open_clip names: q/k/v packed into in_proj (3C,C), projections transposed."""
    out = {}
    for name, t in sd.items():
        if name.endswith("position_ids"):
            continue
        if name in OPENCLIP_TOP:
            out[OPENCLIP_TOP[name]] = t
        elif name in OPENCLIP_PROJ:
            out[OPENCLIP_PROJ[name]] = t.t().contiguous()  # (E,C) -> (C,E)
        else:
            tower = next((h for h in TOWERS if name.startswith(h)), None)
            if tower is None:
                raise ValueError(f"hf_to_openclip: unknown HF tensor name '{name}'")
            index, suffix = name[len(tower):].split(".", 1)
            block = f"{TOWERS[tower]}{index}."
            if suffix in OPENCLIP_LAYER:
                out[block + OPENCLIP_LAYER[suffix]] = t
            elif suffix.startswith("self_attn.q_proj."):
                kind = suffix.rsplit(".", 1)[1]
                qkv = [sd[f"{tower}{index}.self_attn.{x}_proj.{kind}"] for x in "qkv"]
                out[f"{block}attn.in_proj_{kind}"] = torch.cat(qkv, dim=0)  # 3C(,C)
            elif not suffix.startswith(("self_attn.k_proj.", "self_attn.v_proj.")):
                raise ValueError(f"hf_to_openclip: unknown HF layer tensor '{name}'")
    return out


def openclip_to_hf(oc):
    """open_clip names -> HF CLIPModel names: in_proj split into q/k/v, projections transposed."""
    top = {v: k for k, v in OPENCLIP_TOP.items()}
    proj = {v: k for k, v in OPENCLIP_PROJ.items()}
    layer = {v: k for k, v in OPENCLIP_LAYER.items()}
    out = {}
    for name, t in oc.items():
        if name in top:
            out[top[name]] = t
        elif name in proj:
            out[proj[name]] = t.t().contiguous()  # (C,E) -> (E,C)
        else:
            tower = next((o for h, o in TOWERS.items() if name.startswith(o)), None)
            if tower is None:
                raise ValueError(f"openclip_to_hf: unknown open_clip tensor name '{name}'")
            hf_tower = next(h for h, o in TOWERS.items() if o == tower)
            index, suffix = name[len(tower):].split(".", 1)
            block = f"{hf_tower}{index}."
            if suffix in layer:
                out[block + layer[suffix]] = t
            elif suffix in ("attn.in_proj_weight", "attn.in_proj_bias"):
                kind = suffix.rsplit("_", 1)[1]
                for x, part in zip("qkv", t.chunk(3, dim=0)):  # each C(,C)
                    out[f"{block}self_attn.{x}_proj.{kind}"] = part.contiguous()
            else:
                raise ValueError(f"openclip_to_hf: unknown open_clip layer tensor '{name}'")
    return out


def openclip_forward(oc, cfg, pixels, ids, dtype=torch.float64):
    """open_clip's CLIP.encode_image / encode_text written on open_clip names (packed in_proj,
    x @ proj), as an independent check of the name mapping. cfg is the open_clip model config."""
    oc = {k: v.to(dtype) for k, v in oc.items()}
    act = "quick_gelu" if cfg.get("quick_gelu", False) else "gelu"

    def blocks(x, prefix, layers, heads, causal):
        b, t, c = x.shape
        d = c // heads
        for i in range(layers):
            p = f"{prefix}{i}."
            h = torch.nn.functional.layer_norm(x, (c,), oc[p + "ln_1.weight"], oc[p + "ln_1.bias"], 1e-5)
            qkv = h @ oc[p + "attn.in_proj_weight"].t() + oc[p + "attn.in_proj_bias"]  # B,T,3C
            q, k, v = (z.reshape(b, t, heads, d).transpose(1, 2) for z in qkv.split(c, dim=-1))  # B,H,T,D
            mask = torch.full((t, t), float("-inf"), dtype=dtype).triu(1) if causal else torch.zeros(t, t, dtype=dtype)
            a = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(d) + mask, dim=-1) @ v  # B,H,T,D
            x = x + a.transpose(1, 2).reshape(b, t, c) @ oc[p + "attn.out_proj.weight"].t() + oc[p + "attn.out_proj.bias"]
            h = torch.nn.functional.layer_norm(x, (c,), oc[p + "ln_2.weight"], oc[p + "ln_2.bias"], 1e-5)
            h = activation(act, h @ oc[p + "mlp.c_fc.weight"].t() + oc[p + "mlp.c_fc.bias"])
            x = x + h @ oc[p + "mlp.c_proj.weight"].t() + oc[p + "mlp.c_proj.bias"]
        return x

    vc, tc = cfg["vision_cfg"], cfg["text_cfg"]
    x = torch.nn.functional.conv2d(pixels.to(dtype), oc["visual.conv1.weight"], stride=vc["patch_size"])  # B,C,g,g
    x = x.flatten(2).transpose(1, 2)  # B,P,C
    c = x.shape[-1]
    x = torch.cat([oc["visual.class_embedding"].expand(x.shape[0], 1, c), x], dim=1) + oc["visual.positional_embedding"]
    x = torch.nn.functional.layer_norm(x, (c,), oc["visual.ln_pre.weight"], oc["visual.ln_pre.bias"], 1e-5)
    x = blocks(x, "visual.transformer.resblocks.", vc["layers"], vc["width"] // vc["head_width"], False)
    img = torch.nn.functional.layer_norm(x[:, 0], (c,), oc["visual.ln_post.weight"], oc["visual.ln_post.bias"], 1e-5)
    img = img @ oc["visual.proj"]  # B,E
    x = oc["token_embedding.weight"][ids] + oc["positional_embedding"][:ids.shape[1]]  # N,T,C
    x = blocks(x, "transformer.resblocks.", tc["layers"], tc["heads"], True)
    x = torch.nn.functional.layer_norm(x, (tc["width"],), oc["ln_final.weight"], oc["ln_final.bias"], 1e-5)
    txt = x[torch.arange(ids.shape[0]), ids.argmax(dim=-1)] @ oc["text_projection"]  # N,E: open_clip pools at argmax
    return {"image_embeds": img, "text_embeds": txt}


if __name__ == "__main__":
    import sys

    sys.dont_write_bytecode = True
    import make_hf_fixtures

    make_hf_fixtures.main()
