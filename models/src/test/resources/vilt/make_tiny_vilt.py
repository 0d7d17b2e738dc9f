#!/usr/bin/env python3
"""A tiny random ViltForQuestionAnswering saved by transformers with its ViltProcessor (tiny_vilt/:
config.json, model.safetensors, tokenizer files, processor_config.json), three small PNG images of
different aspect ratios (so the batch is padded and the pixel mask matters: a wide one resized to
16x48, a tall one to 48x16, a larger one shrunk to 32x32) and vilt_golden.json: the processor's
token ids, each image's pixel values alone, the pixel mask of the three padded together, and for
every image x question pair (one padded batch) the logits in float64 and the pipeline's top answers
(sigmoid of the logits, best first).

max_image_length is -1, ViltConfig's default: transformers then keeps every valid
patch (in a random order, which the [CLS]-pooled logits do not see) and fills the shorter images up
with masked patches, so its output is deterministic.

Run with the peers' venv (transformers 5.18, torch 2.13; no torchvision, so the PIL image processor):
  /work/peers-venv/bin/python models/src/test/resources/vilt/make_tiny_vilt.py
"""
import json
import os

import numpy as np
import torch
from PIL import Image
from transformers import BertTokenizer, ViltConfig, ViltForQuestionAnswering, ViltImageProcessorPil, ViltProcessor

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "tiny_vilt")
WORDS = ("what color is the cat dog sky how many are there on a mat red blue green ? , . ' s two it "
         "##s ##ing sitting where animal").split()
VOCAB = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] + WORDS
QUESTIONS = ["What color is the sky?", "How many dogs are there?", "Is it a cat", "where's the animal sitting, on a mat?",
             "Zebra?"]
ANSWERS = ["yes", "no", "2", "red", "blue", "cat", "dog", "on the mat", "3", "sky"]
IMAGES = {"wide.png": (90, 30), "tall.png": (30, 70), "photo.png": (100, 75)}


def make_image(name, size):
    w, h = size
    rng = np.random.default_rng(w * 1000 + h)
    y, x = np.mgrid[0:h, 0:w]
    if name.startswith("wide"):
        px = np.stack([x * 255 // (w - 1), y * 255 // (h - 1), (x + y) * 255 // (w + h - 2)], -1)
    elif name.startswith("tall"):
        px = rng.integers(0, 256, size=(h, w, 3))
    else:
        px = np.where(((x // 9 + y // 7) % 2)[..., None] == 1, [230, 40, 60], [20, 120, 250])
        px = px + rng.integers(-4, 5, size=(h, w, 3))
    return Image.fromarray(np.clip(px, 0, 255).astype(np.uint8), "RGB")


def main():
    assert len(set(VOCAB)) == len(VOCAB)
    torch.manual_seed(5)  # a seed whose answers differ from pair to pair
    tokenizer = BertTokenizer(vocab={t: i for i, t in enumerate(VOCAB)}, do_lower_case=True, model_max_length=16)
    image_processor = ViltImageProcessorPil(size={"shortest_edge": 32}, size_divisor=16)
    processor = ViltProcessor(image_processor=image_processor, tokenizer=tokenizer)

    config = ViltConfig(vocab_size=len(VOCAB), hidden_size=32, num_hidden_layers=2, num_attention_heads=4,
                        intermediate_size=64, max_position_embeddings=16, image_size=32, patch_size=8,
                        max_image_length=-1, id2label=dict(enumerate(ANSWERS)),
                        label2id={a: i for i, a in enumerate(ANSWERS)})
    model = ViltForQuestionAnswering(config).eval()
    with torch.no_grad():  # larger weights than the init, so the test sees real differences
        for p in model.parameters():
            p.add_(torch.randn_like(p) * 0.2)
    os.makedirs(OUT, exist_ok=True)
    model.save_pretrained(OUT, safe_serialization=True)
    processor.save_pretrained(OUT)

    images = []
    for name, size in IMAGES.items():
        make_image(name, size).save(os.path.join(OUT, name))
        images.append(Image.open(os.path.join(OUT, name)).convert("RGB"))
    alone = [image_processor(images=im, return_tensors="pt") for im in images]
    together = image_processor(images=images, return_tensors="pt")

    pair_images = [im for im in images for _ in QUESTIONS]
    pair_questions = [q for _ in images for q in QUESTIONS]
    inputs = processor(images=pair_images, text=pair_questions, padding=True, return_tensors="pt")
    model = model.double()
    with torch.no_grad():
        logits = model(input_ids=inputs["input_ids"], attention_mask=inputs["attention_mask"],
                       token_type_ids=inputs["token_type_ids"], pixel_values=inputs["pixel_values"].double(),
                       pixel_mask=inputs["pixel_mask"]).logits
    top = []
    for row in logits:
        scores, ids = row.sigmoid().topk(5)
        top.append([{"answer": config.id2label[int(i)], "score": float(s)} for s, i in zip(scores, ids)])

    ids = processor.tokenizer(QUESTIONS, padding=True)
    golden = {"questions": QUESTIONS, "images": list(IMAGES),
              "input_ids": ids["input_ids"], "attention_mask": ids["attention_mask"],
              "pixel_shapes": [list(a["pixel_values"].shape[1:]) for a in alone],
              "pixel_values": [[round(float(v), 7) for v in a["pixel_values"][0].flatten()] for a in alone],
              "batch_pixel_shape": list(together["pixel_values"].shape),
              "batch_pixel_mask": [m.tolist() for m in together["pixel_mask"]],
              "logits": [[float(v) for v in row] for row in logits],
              "top": top,
              "reference": "transformers %s, torch %s, float64" % (__import__("transformers").__version__, torch.__version__)}
    with open(os.path.join(HERE, "vilt_golden.json"), "w") as f:
        json.dump(golden, f, indent=1)
    for name in sorted(os.listdir(OUT)):
        print(name, os.path.getsize(os.path.join(OUT, name)))
    print(golden["pixel_shapes"], golden["batch_pixel_shape"])
    print(ids["input_ids"])
    print(logits[:, :4])
    print([t[0] for t in top])


if __name__ == "__main__":
    main()
