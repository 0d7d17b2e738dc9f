#!/usr/bin/env python3
"""A tiny random BlipForQuestionAnswering saved by transformers with its BlipProcessor
(tiny_blip_vqa/: config.json, model.safetensors, tokenizer files, processor settings; the images are
tiny_blip_caption/'s) and blip_vqa_golden.json: for three images with three questions of unequal
length in one padded batch, the processor's ids, the decoder's first-step logits, and the ids and
answers generate returned under greedy and beam search settings.

As make_tiny_blip_caption.py, the weights are made larger than the init and every recorded output
is checked unchanged under three small weight perturbations (1e-4 relative) and in float64.

Run with the peers' venv (transformers 5.18, torch 2.13), after make_tiny_blip_caption.py:
  /work/peers-venv/bin/python models/src/test/resources/blipcap/make_tiny_blip_vqa.py
"""
import copy
import json
import os

import torch
from PIL import Image
from transformers import (BertTokenizer, BlipConfig, BlipForQuestionAnswering, BlipImageProcessorPil,
                          BlipProcessor)

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "tiny_blip_vqa")
IMAGES_FROM = os.path.join(HERE, "tiny_blip_caption")
WORDS = ("a photo of the cat dog on mat red blue green , . ! ? ' - two sitting ##s ##ing run jump bird "
         "sky cafe under big small is are and with").split()
VOCAB = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] + WORDS
IMAGES = ["gradient.png", "noise.png", "checker.png"]
QUESTIONS = ["is the cat red?", "two dogs?", "are the birds sitting under a big blue sky?"]
RUNS = {
    "greedy": dict(max_new_tokens=8),
    "greedy_repetition_min_length": dict(max_new_tokens=8, repetition_penalty=1.4, min_length=5),
    "beam3": dict(num_beams=3, max_new_tokens=8),
    "beam3_lp": dict(num_beams=3, max_new_tokens=8, length_penalty=0.5),
}


def generate_all(model, inputs):
    out = {}
    for name, kwargs in RUNS.items():
        with torch.no_grad():
            out[name] = model.generate(**inputs, **kwargs).tolist()
    return out


def main():
    torch.manual_seed(1)
    tokenizer = BertTokenizer(vocab={t: i for i, t in enumerate(VOCAB)}, do_lower_case=True, model_max_length=32)
    tokenizer.add_special_tokens({"bos_token": "[DEC]"})
    tokenizer.add_special_tokens({"additional_special_tokens": ["[ENC]"]})
    processor = BlipProcessor(image_processor=BlipImageProcessorPil(size={"height": 32, "width": 32}), tokenizer=tokenizer)
    sep = tokenizer.sep_token_id
    config = BlipConfig(
        text_config=dict(vocab_size=len(tokenizer), hidden_size=32, num_hidden_layers=2, num_attention_heads=4,
                         intermediate_size=64, max_position_embeddings=32, bos_token_id=tokenizer.bos_token_id,
                         pad_token_id=0, sep_token_id=sep),
        vision_config=dict(hidden_size=32, num_hidden_layers=2, num_attention_heads=4, intermediate_size=64,
                           image_size=32, patch_size=8))
    config.architectures = ["BlipForQuestionAnswering"]
    model = BlipForQuestionAnswering(config).eval()
    with torch.no_grad():
        for p in model.parameters():
            p.add_(torch.randn_like(p) * 0.3)
        model.text_decoder.cls.predictions.bias[sep] += 2.5
    os.makedirs(OUT, exist_ok=True)
    model.save_pretrained(OUT, safe_serialization=True)
    processor.save_pretrained(OUT)

    images = [Image.open(os.path.join(IMAGES_FROM, name)).convert("RGB") for name in IMAGES]
    inputs = processor(images=images, text=QUESTIONS, padding=True, return_tensors="pt")
    sequences = generate_all(model, inputs)
    for trial in range(3):
        noisy = copy.deepcopy(model)
        g = torch.Generator().manual_seed(200 + trial)
        with torch.no_grad():
            for p in noisy.parameters():
                p.add_(torch.randn(p.shape, generator=g) * 1e-4 * p.abs().mean())
        again = generate_all(noisy, inputs)
        for name in RUNS:
            assert again[name] == sequences[name], "near-tie in run %s: %s vs %s" % (name, sequences[name], again[name])
    double = copy.deepcopy(model).double()
    inputs64 = dict(inputs)
    inputs64["pixel_values"] = inputs["pixel_values"].double()
    assert generate_all(double, inputs64) == sequences, "float64 differs"

    with torch.no_grad():  # the decoder's first step, float64
        image_embeds = double.vision_model(pixel_values=inputs64["pixel_values"])[0]
        question = double.text_encoder(input_ids=inputs["input_ids"], attention_mask=inputs["attention_mask"],
                                       encoder_hidden_states=image_embeds)[0]
        bos = torch.full((len(images), 1), config.text_config.bos_token_id)
        first = double.text_decoder(input_ids=bos, encoder_hidden_states=question).logits[:, -1]

    runs = []
    for name, kwargs in RUNS.items():
        rows = sequences[name]
        runs.append({"name": name, "settings": kwargs, "ids": rows,
                     "answers": [processor.decode(r, skip_special_tokens=True) for r in rows]})
    golden = {"images": IMAGES, "questions": QUESTIONS, "input_ids": inputs["input_ids"].tolist(),
              "first_logits": [[round(float(v), 7) for v in row] for row in first], "runs": runs,
              "reference": "transformers %s, torch %s; logits in float64" % (__import__("transformers").__version__,
                                                                           torch.__version__)}
    with open(os.path.join(HERE, "blip_vqa_golden.json"), "w") as f:
        json.dump(golden, f, indent=1)
    for name in sorted(os.listdir(OUT)):
        print(name, os.path.getsize(os.path.join(OUT, name)))
    print(inputs["input_ids"])
    for r in runs:
        print(r["name"], r["ids"], r["answers"])


if __name__ == "__main__":
    main()
