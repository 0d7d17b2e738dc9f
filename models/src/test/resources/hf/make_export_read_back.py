"""transformers reads a folder Vireo exported: the fixture of ExportReadBackTest.

First let the test write the export (it saves the seeded `tiny` Vireo model with HfCheckpoints.save, the code
behind `vireo export`, into models/target/vireo-export), then read it with transformers from the peers' venv:

    mvn -o -q -pl models -am -Dtest=ExportReadBackTest -Dsurefire.failIfNoSpecifiedTests=false verify   # fails until the fixture exists
    /work/peers-venv/bin/python -B models/src/test/resources/hf/make_export_read_back.py

Writes vireo-export/transformers_read_back.json: the SHA-256 of every file transformers read, fixed inputs
(pixel values in multiples of 1/64, captions and the ids transformers' CLIPTokenizer gives them from the
exported vocab.json/merges.txt), CLIPModel's outputs on them in float64, and the features of two real photos
through CLIPImageProcessor configured by the exported preprocessor_config.json.
"""
import hashlib
import json
import os

import torch
import transformers
from PIL import Image
from transformers import CLIPImageProcessor, CLIPModel, CLIPTokenizer

HERE = os.path.dirname(os.path.abspath(__file__))
EXPORT = os.path.join(HERE, "..", "..", "..", "..", "target", "vireo-export")
IMAGES = os.path.join(HERE, "..", "image", "inputs")
OUT = os.path.join(HERE, "vireo-export", "transformers_read_back.json")
FILES = ["config.json", "model.safetensors", "vocab.json", "merges.txt", "tokenizer_config.json", "preprocessor_config.json"]
CAPTIONS = ["a red circle", "two blue squares left of a green triangle", "a photo of a cat", "A LARGE yellow star!"]
PHOTOS = ["chelsea.png", "dog.jpg"]


def rows(t):
    return [[float(v) for v in r] for r in t.detach().to(torch.float64).reshape(t.shape[0], -1)]


def features(out):
    return out if torch.is_tensor(out) else out.pooler_output


def main():
    digests = {f: hashlib.sha256(open(os.path.join(EXPORT, f), "rb").read()).hexdigest() for f in FILES}
    model = CLIPModel.from_pretrained(EXPORT).to(torch.float64).eval()
    tokenizer = CLIPTokenizer.from_pretrained(EXPORT)
    processor = CLIPImageProcessor.from_pretrained(EXPORT)
    size = model.config.vision_config.image_size
    g = torch.Generator().manual_seed(20261205)
    pixels = torch.randint(-128, 129, (3, 3, size, size), generator=g).to(torch.float64) / 64  # exact in float32
    context = model.config.text_config.max_position_embeddings
    ids = tokenizer(CAPTIONS, padding="max_length", truncation=True, max_length=context, return_tensors="pt")["input_ids"]
    with torch.no_grad():
        out = model(input_ids=ids, pixel_values=pixels)
        image = features(model.get_image_features(pixel_values=pixels))
        text = features(model.get_text_features(input_ids=ids))
        photos = processor(images=[Image.open(os.path.join(IMAGES, p)) for p in PHOTOS], return_tensors="pt")["pixel_values"]
        photo = features(model.get_image_features(pixel_values=photos.to(torch.float64)))
    fixture = {
        "reference": "transformers CLIPModel/CLIPTokenizer/CLIPImageProcessor.from_pretrained on Vireo's export, float64",
        "versions": {"transformers": transformers.__version__, "torch": torch.__version__},
        "files": digests,
        "pixel_values": {"shape": list(pixels.shape), "data": [float(v) for v in pixels.flatten()]},
        "captions": CAPTIONS, "input_ids": ids.tolist(),
        "image_embeds": rows(image), "text_embeds": rows(text), "logits_per_image": rows(out.logits_per_image),
        "photos": PHOTOS, "photo_embeds": rows(photo),
    }
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as f:
        json.dump(fixture, f, separators=(",", ":"))
    print("wrote", OUT)


if __name__ == "__main__":
    main()
