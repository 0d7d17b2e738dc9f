"""Checks a Hugging Face CLIP folder saved by Vireo against outputs Vireo computed.

Usage: /usr/bin/python3 check_vireo_export.py FOLDER EXPECTED.json [--config CONFIG.json] [--tol 1e-4]
FOLDER holds config.json + model.safetensors; EXPECTED.json has the layout of tiny-clip/expected.json:
"pixel_values" {"shape", "data"} and/or "input_ids", plus any of image_embeds, text_embeds,
logits_per_image, image_pooled, text_pooled. The reference forward (float64) recomputes each one;
exit 1 when max|vireo - reference| / max|reference| exceeds --tol, 2 when the folder is malformed.
"""
import argparse
import json
import os
import sys

sys.dont_write_bytecode = True
import torch  # noqa: E402

import clip_reference as ref  # noqa: E402
import safetensors_io  # noqa: E402


def expected_names(config):
    """The tensor names CLIPModel.from_pretrained needs for this config (position_ids excluded)."""
    names = list(ref.OPENCLIP_TOP) + list(ref.OPENCLIP_PROJ)
    layer = [f"self_attn.{x}_proj.{k}" for x in "qkv" for k in ("weight", "bias")] + list(ref.OPENCLIP_LAYER)
    for tower, key in (("vision_model", "vision_config"), ("text_model", "text_config")):
        for i in range(config[key]["num_hidden_layers"]):
            names += [f"{tower}.encoder.layers.{i}.{s}" for s in layer]
    return set(names)


def fail(code, message):
    print(f"check_vireo_export: {message}", file=sys.stderr)
    sys.exit(code)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder")
    parser.add_argument("expected")
    parser.add_argument("--config", help="use this config.json instead of FOLDER/config.json")
    parser.add_argument("--tol", type=float, default=1e-4)
    args = parser.parse_args()

    config_path = args.config or os.path.join(args.folder, "config.json")
    with open(config_path, encoding="utf-8") as f:
        config = json.load(f)
    if config.get("model_type") != "clip":
        fail(2, f"{config_path}: model_type is {config.get('model_type')!r}, expected 'clip'")
    sd, _ = safetensors_io.read(os.path.join(args.folder, "model.safetensors"))
    have = {k for k in sd if not k.endswith("position_ids")}
    want = expected_names(config)
    if have != want:
        fail(2, f"{args.folder}/model.safetensors: missing {sorted(want - have)}, unexpected {sorted(have - want)}")
    with open(args.expected, encoding="utf-8") as f:
        exp = json.load(f)

    vc = config["vision_config"]
    if "pixel_values" in exp:
        pixels = torch.tensor(exp["pixel_values"]["data"], dtype=torch.float64).reshape(exp["pixel_values"]["shape"])
    else:
        pixels = torch.zeros(1, 3, vc["image_size"], vc["image_size"], dtype=torch.float64)
    ids = torch.tensor(exp.get("input_ids", [[config["text_config"]["eos_token_id"]]]), dtype=torch.int64)
    out = ref.clip_forward(sd, config, pixels, ids, torch.float64)

    worst, compared = 0.0, 0
    for key in ("image_pooled", "text_pooled", "image_embeds", "text_embeds", "logits_per_image"):
        if key not in exp:
            continue
        got = torch.tensor(exp[key], dtype=torch.float64)
        want_t = out[key]
        if tuple(got.shape) != tuple(want_t.shape):
            fail(2, f"{args.expected}: {key} has shape {list(got.shape)}, the reference gives {list(want_t.shape)}")
        rel = float((got - want_t).abs().max() / want_t.abs().max().clamp_min(1e-30))
        worst = max(worst, rel)
        compared += 1
        print(f"{key:17s} shape {list(want_t.shape)}  max rel diff {rel:.3e}  {'ok' if rel <= args.tol else 'FAIL'}")
    if compared == 0:
        fail(2, f"{args.expected}: none of image_pooled, text_pooled, image_embeds, text_embeds, logits_per_image")
    print(f"worst relative difference {worst:.3e} (tolerance {args.tol:.1e})")
    sys.exit(0 if worst <= args.tol else 1)


if __name__ == "__main__":
    main()
