#!/usr/bin/env python3
"""A tiny random BlipForImageTextRetrieval saved by transformers with its BlipProcessor (tiny_blip/:
config.json, model.safetensors, tokenizer files, preprocessor_config.json), three small PNG images
and blip_golden.json: the processor's token ids and pixel values, and for every image x text pair
the ITM match probability and the cosine of the projected [CLS] features, computed in float64.

Run with the peers' venv (transformers 5.18, torch 2.13; no torchvision, so the PIL image processor):
  bash ../shared/peers/venv.sh /tmp/peers && /tmp/peers/bin/python models/src/test/resources/blip/make_tiny_blip.py
"""
import json
import os

import numpy as np
import torch
from PIL import Image
from transformers import (BertTokenizer, BlipConfig, BlipForImageTextRetrieval, BlipImageProcessorPil,
                          BlipProcessor)

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "tiny_blip")
WORDS = ("a photo of the cat dog on mat red blue green , . ! ? ' - two sitting ##s ##ing run jump bird "
         "sky cafe under big small is are and with").split()
VOCAB = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] + WORDS
TEXTS = ["A photo of a CAT!", "two dogs running on the red mat.", "blue", "Café under a big sky, birds? zebra",
         "the small green bird's jump - sitting"]
IMAGES = {"gradient.png": (40, 28), "noise.png": (19, 23), "checker.png": (64, 48)}


def make_image(name, size):
    w, h = size
    rng = np.random.default_rng(w * 1000 + h)
    y, x = np.mgrid[0:h, 0:w]
    if name.startswith("gradient"):
        px = np.stack([x * 255 // (w - 1), y * 255 // (h - 1), (x + y) * 255 // (w + h - 2)], -1)
    elif name.startswith("noise"):
        px = rng.integers(0, 256, size=(h, w, 3))
    else:
        px = np.where(((x // 6 + y // 6) % 2)[..., None] == 1, [230, 40, 60], [20, 120, 250])
        px = px + rng.integers(-15, 16, size=(h, w, 3))
    return Image.fromarray(np.clip(px, 0, 255).astype(np.uint8), "RGB")


def main():
    torch.manual_seed(0)
    tokenizer = BertTokenizer(vocab={t: i for i, t in enumerate(VOCAB)}, do_lower_case=True, model_max_length=16)
    # as BLIP's init_tokenizer: [DEC] as bos, [ENC] an additional special token
    tokenizer.add_special_tokens({"bos_token": "[DEC]"})
    tokenizer.add_special_tokens({"additional_special_tokens": ["[ENC]"]})
    image_processor = BlipImageProcessorPil(size={"height": 32, "width": 32})
    processor = BlipProcessor(image_processor=image_processor, tokenizer=tokenizer)

    config = BlipConfig(
        text_config=dict(vocab_size=len(tokenizer), hidden_size=32, num_hidden_layers=2, num_attention_heads=4,
                         intermediate_size=64, max_position_embeddings=16, bos_token_id=tokenizer.bos_token_id,
                         pad_token_id=0, sep_token_id=3),
        vision_config=dict(hidden_size=32, num_hidden_layers=2, num_attention_heads=4, intermediate_size=64,
                           image_size=32, patch_size=8),
        image_text_hidden_size=16)
    model = BlipForImageTextRetrieval(config).eval()
    with torch.no_grad():  # larger weights than the init, so the test sees real differences
        for p in model.parameters():
            p.add_(torch.randn_like(p) * 0.2)
    os.makedirs(OUT, exist_ok=True)
    model.save_pretrained(OUT, safe_serialization=True)
    processor.save_pretrained(OUT)

    images = []
    for name, size in IMAGES.items():
        make_image(name, size).save(os.path.join(OUT, name))
        images.append(Image.open(os.path.join(OUT, name)))
    inputs = processor(images=images, text=TEXTS, padding=True, return_tensors="pt")
    ids, mask, pixels = inputs["input_ids"], inputs["attention_mask"], inputs["pixel_values"]
    assert "token_type_ids" not in inputs

    model = model.double()
    n_img, n_txt = len(images), len(TEXTS)
    with torch.no_grad():
        cosine = model(input_ids=ids, attention_mask=mask, pixel_values=pixels.double(), use_itm_head=False).itm_score
        itm = model(input_ids=ids.repeat(n_img, 1), attention_mask=mask.repeat(n_img, 1),
                    pixel_values=pixels.double().repeat_interleave(n_txt, 0), use_itm_head=True).itm_score
        match = torch.softmax(itm, dim=1)[:, 1].reshape(n_img, n_txt)
    golden = {"texts": TEXTS, "images": list(IMAGES), "input_ids": ids.tolist(), "attention_mask": mask.tolist(),
              "pixel_values": [[round(float(v), 7) for v in img.flatten()] for img in pixels],
              "pixel_shape": list(pixels.shape[1:]),
              "match_probability": [[float(v) for v in row] for row in match],
              "cosine": [[float(v) for v in row] for row in cosine],
              "reference": "transformers %s, torch %s, float64" % (__import__("transformers").__version__, torch.__version__)}
    with open(os.path.join(HERE, "blip_golden.json"), "w") as f:
        json.dump(golden, f, indent=1)
    for name in sorted(os.listdir(OUT)):
        print(name, os.path.getsize(os.path.join(OUT, name)))
    print(ids)
    print(match)
    print(cosine)


if __name__ == "__main__":
    main()
