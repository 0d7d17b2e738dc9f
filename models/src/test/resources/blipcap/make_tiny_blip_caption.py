#!/usr/bin/env python3
"""A tiny random BlipForConditionalGeneration saved by transformers with its BlipProcessor
(tiny_blip_caption/: config.json, model.safetensors, tokenizer files, processor settings), three
small PNG images, and blip_caption_golden.json: what transformers' generate returns for the three
images in one batch under several decoding settings (greedy, beam search with and without length
penalty, min length, repetition penalty, early stopping, with a prompt and without), the decoded
texts, the logits of the prompt's positions, and the logits of a teacher-forced pass over the greedy
sequences (to check a key/value cache step by step).

Random tiny models give flat distributions whose argmax decisions may sit on near-ties that float
rounding could flip. The script makes the weights larger than the init and then checks that every
recorded output is unchanged under three small random perturbations of the weights (1e-4 relative):
a decision that survives those survives float32 rounding differences of ~1e-6.

Run with the peers' venv (transformers 5.18, torch 2.13; no torchvision, so the PIL image processor):
  /work/peers-venv/bin/python models/src/test/resources/blipcap/make_tiny_blip_caption.py
"""
import copy
import json
import os

import numpy as np
import torch
from PIL import Image
from transformers import (BertTokenizer, BlipConfig, BlipForConditionalGeneration, BlipImageProcessorPil,
                          BlipProcessor)

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "tiny_blip_caption")
WORDS = ("a photo of the cat dog on mat red blue green , . ! ? ' - two sitting ##s ##ing run jump bird "
         "sky cafe under big small is are and with").split()
VOCAB = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] + WORDS
IMAGES = {"gradient.png": (40, 28), "noise.png": (19, 23), "checker.png": (64, 48)}
PROMPT = "a photo of"
# name -> (prompt, generate kwargs)
RUNS = {
    "greedy": (None, dict(max_new_tokens=12)),
    "greedy_prompt_repetition": (PROMPT, dict(max_new_tokens=10, repetition_penalty=1.5)),
    "greedy_min_length": (None, dict(max_new_tokens=12, min_length=9)),
    "beam3": (None, dict(num_beams=3, max_new_tokens=12)),
    "beam3_prompt": (PROMPT, dict(num_beams=3, max_new_tokens=10)),
    "beam3_penalties": (PROMPT, dict(num_beams=3, max_new_tokens=10, length_penalty=0.6, min_length=8,
                                     repetition_penalty=1.3)),
    "beam3_early_lp2": (None, dict(num_beams=3, max_new_tokens=12, length_penalty=2.0, early_stopping=True)),
    "beam4_lp0": (None, dict(num_beams=4, max_new_tokens=9, length_penalty=0.0)),
}


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


def generate_all(model, processor, images):
    out = {}
    for name, (prompt, kwargs) in RUNS.items():
        if prompt is None:
            inputs = processor(images=images, return_tensors="pt")
        else:
            inputs = processor(images=images, text=[prompt] * len(images), return_tensors="pt")
        with torch.no_grad():
            out[name] = model.generate(**inputs, **kwargs).tolist()
    return out


def main():
    torch.manual_seed(0)
    tokenizer = BertTokenizer(vocab={t: i for i, t in enumerate(VOCAB)}, do_lower_case=True, model_max_length=32)
    # as BLIP's init_tokenizer: [DEC] as bos, [ENC] an additional special token
    tokenizer.add_special_tokens({"bos_token": "[DEC]"})
    tokenizer.add_special_tokens({"additional_special_tokens": ["[ENC]"]})
    image_processor = BlipImageProcessorPil(size={"height": 32, "width": 32})
    processor = BlipProcessor(image_processor=image_processor, tokenizer=tokenizer)
    sep = tokenizer.sep_token_id
    config = BlipConfig(
        text_config=dict(vocab_size=len(tokenizer), hidden_size=32, num_hidden_layers=2, num_attention_heads=4,
                         intermediate_size=64, max_position_embeddings=32, bos_token_id=tokenizer.bos_token_id,
                         pad_token_id=0, sep_token_id=sep),
        vision_config=dict(hidden_size=32, num_hidden_layers=2, num_attention_heads=4, intermediate_size=64,
                           image_size=32, patch_size=8))
    config.architectures = ["BlipForConditionalGeneration"]
    model = BlipForConditionalGeneration(config).eval()
    with torch.no_grad():  # larger weights than the init: peaked distributions, few near-ties
        for p in model.parameters():
            p.add_(torch.randn_like(p) * 0.3)
        # [SEP] likelier, so that some captions end before max_new_tokens and eos/pad handling is exercised
        model.text_decoder.cls.predictions.bias[sep] += 2.5
    os.makedirs(OUT, exist_ok=True)
    model.save_pretrained(OUT, safe_serialization=True)
    processor.save_pretrained(OUT)

    images = []
    for name, size in IMAGES.items():
        make_image(name, size).save(os.path.join(OUT, name))
        images.append(Image.open(os.path.join(OUT, name)).convert("RGB"))

    sequences = generate_all(model, processor, images)
    # robustness: the same decisions under small weight perturbations, so float32 rounding cannot flip them
    for trial in range(3):
        noisy = copy.deepcopy(model)
        g = torch.Generator().manual_seed(100 + trial)
        with torch.no_grad():
            for p in noisy.parameters():
                p.add_(torch.randn(p.shape, generator=g) * 1e-4 * p.abs().mean())
        again = generate_all(noisy, processor, images)
        for name in RUNS:
            assert again[name] == sequences[name], "near-tie in run %s: %s vs %s" % (name, sequences[name], again[name])
    # the same in float64
    double = copy.deepcopy(model).double()
    inputs64 = {}
    for name, (prompt, kwargs) in RUNS.items():
        if prompt is None:
            inputs = processor(images=images, return_tensors="pt")
        else:
            inputs = processor(images=images, text=[prompt] * len(images), return_tensors="pt")
        inputs["pixel_values"] = inputs["pixel_values"].double()
        with torch.no_grad():
            assert double.generate(**inputs, **kwargs).tolist() == sequences[name], "float64 differs in " + name

    # logits: the prompt's positions, and a teacher-forced pass over the greedy sequences (float64)
    inputs = processor(images=images, text=[PROMPT] * len(images), return_tensors="pt")
    prompt_ids = inputs["input_ids"].clone()
    prompt_ids[:, 0] = config.text_config.bos_token_id
    prompt_ids = prompt_ids[:, :-1]
    with torch.no_grad():
        image_embeds = double.vision_model(pixel_values=inputs["pixel_values"].double())[0]
        prompt_logits = double.text_decoder(input_ids=prompt_ids, encoder_hidden_states=image_embeds).logits
        greedy = torch.tensor(sequences["greedy"])
        greedy_logits = double.text_decoder(input_ids=greedy, encoder_hidden_states=image_embeds).logits

    runs = []
    for name, (prompt, kwargs) in RUNS.items():
        rows = sequences[name]
        settings = {k: int(v) if isinstance(v, bool) else v for k, v in kwargs.items()}  # the tests' JSON reader has no booleans
        runs.append({"name": name, "prompt": prompt or "", "settings": settings, "ids": rows,
                     "texts": [processor.decode(r, skip_special_tokens=True) for r in rows]})
    golden = {"images": list(IMAGES), "bos": config.text_config.bos_token_id, "sep": sep, "pad": 0,
              "prompt": PROMPT, "prompt_ids": prompt_ids.tolist(),
              "prompt_logits": [[[round(float(v), 7) for v in pos] for pos in row] for row in prompt_logits],
              "greedy_logits": [[[round(float(v), 7) for v in pos] for pos in row] for row in greedy_logits],
              "runs": runs,
              "reference": "transformers %s, torch %s; logits in float64" % (__import__("transformers").__version__,
                                                                           torch.__version__)}
    with open(os.path.join(HERE, "blip_caption_golden.json"), "w") as f:
        json.dump(golden, f, indent=1)
    for name in sorted(os.listdir(OUT)):
        print(name, os.path.getsize(os.path.join(OUT, name)))
    for r in runs:
        print(r["name"], r["ids"], r["texts"])


if __name__ == "__main__":
    main()
