"""Second, independent references made with the real packages: transformers, tokenizers, Pillow.

The fixtures beside this script come from our own re-implementations (clip_reference.py, make_clip_golden.py,
make_wordpiece_golden.py). This script asks the packages themselves, so a mistake shared by a
re-implementation and Vireo cannot hide. Run it with the peers' venv (transformers 5.18, tokenizers 0.23,
torch 2.13, Pillow 12; no download; do not install torchvision, the processor falls back to its Pillow
backend, which is the one Vireo follows):

    bash ../shared/peers/venv.sh /work/peers-venv
    /work/peers-venv/bin/python -B models/src/test/resources/hf/make_transformers_references.py

Writes:
  hf/tiny-clip/transformers_expected.json   CLIPModel.from_pretrained(tiny-clip), in float64, on the inputs of
        expected.json (forward), on real non-square photos through CLIPProcessor (facade), on captions through
        its tokenizer, and zero-shot probabilities for labels through a template.
  text/clip_transformers_golden.json        transformers' CLIPTokenizer (tokenizers-backed) on every caption
        of clip_golden.json, with the reason where OpenAI's simple_tokenizer (which Vireo follows) differs by design.
  text/minilm_tokenizers_golden.json, text/wordpiece_fixture_tokenizers_golden.json   tokenizers.Tokenizer
        on the texts and pairs of the two WordPiece goldens, in their layout.
"""
import hashlib
import json
import os
import sys

import tokenizers
import torch
import transformers
from PIL import Image
from transformers import CLIPImageProcessor, CLIPModel, CLIPTokenizer

HERE = os.path.dirname(os.path.abspath(__file__))
TEXT = os.path.join(HERE, "..", "text")
IMAGES = os.path.join(HERE, "..", "image", "inputs")
TINY = os.path.join(HERE, "tiny-clip")
MINILM_TOKENIZER = os.environ.get("MINILM_TOKENIZER", os.path.join(HERE, "..", "..", "..", "..", "..", "data", "minilm",
                                                                    "all-minilm-l6-v2-tokenizer.json"))
PHOTOS = ["chelsea.png", "dog.jpg", "rocket.jpg", "wide.png", "tall.png"]  # non-square: 451x300, 576x768, ...
CAPTIONS = ["a photo of a cat", "a photo of a dog", "A ROCKET standing on a launchpad!",
            "a cat and a dog sitting on the grass at dawn, far from the city and its noise"]  # the last is truncated
LABELS, TEMPLATE = ["cat", "dog", "rocket", "person"], "a photo of a {}."
VERSIONS = {"transformers": transformers.__version__, "tokenizers": tokenizers.__version__, "torch": torch.__version__}


def rows(t):
    return [[float(v) for v in r] for r in t.detach().to(torch.float64).reshape(t.shape[0], -1)]


def features(out):
    """get_*_features returns a tensor in 4.x and a ModelOutput whose pooler_output is the projection in 5.x."""
    return out if torch.is_tensor(out) else out.pooler_output


def clip_references():
    model = CLIPModel.from_pretrained(TINY).to(torch.float64).eval()
    processor = CLIPImageProcessor.from_pretrained(TINY)
    tokenizer = CLIPTokenizer.from_pretrained(TINY)
    context = model.config.text_config.max_position_embeddings
    expected = json.load(open(os.path.join(TINY, "expected.json")))
    pv = expected["pixel_values"]
    pixels = torch.tensor(pv["data"], dtype=torch.float64).reshape(pv["shape"])
    ids = torch.tensor(expected["input_ids"])
    with torch.no_grad():
        image_embeds = features(model.get_image_features(pixel_values=pixels))
        text_embeds = features(model.get_text_features(input_ids=ids))
        logits = model(input_ids=ids, pixel_values=pixels).logits_per_image
        photos = [Image.open(os.path.join(IMAGES, p)) for p in PHOTOS]
        photo_pixels = processor(images=photos, return_tensors="pt")["pixel_values"].to(torch.float64)
        photo_embeds = features(model.get_image_features(pixel_values=photo_pixels))
        enc = tokenizer(CAPTIONS, padding="max_length", truncation=True, max_length=context, return_tensors="pt")
        caption_embeds = features(model.get_text_features(input_ids=enc["input_ids"]))
        prompts = tokenizer([TEMPLATE.format(l) for l in LABELS], padding="max_length", truncation=True,
                            max_length=context, return_tensors="pt")
        label_embeds = features(model.get_text_features(input_ids=prompts["input_ids"]))
        img = photo_embeds / photo_embeds.norm(dim=-1, keepdim=True)
        lab = label_embeds / label_embeds.norm(dim=-1, keepdim=True)
        probs = (model.logit_scale.exp() * img @ lab.T).softmax(dim=-1)
    return {
        "reference": "transformers CLIPModel.from_pretrained(tiny-clip) in float64; CLIPImageProcessor (Pillow backend); "
                     "CLIPTokenizer padded to max_length with truncation",
        "versions": VERSIONS,
        "forward": {"image_embeds": rows(image_embeds), "text_embeds": rows(text_embeds),
                    "logits_per_image": rows(logits)},
        "photos": PHOTOS, "photo_sizes": [list(p.size) for p in photos],
        "photo_pixel_values": rows(photo_pixels), "photo_embeds": rows(photo_embeds),
        "captions": CAPTIONS, "caption_ids": enc["input_ids"].tolist(), "caption_embeds": rows(caption_embeds),
        "labels": LABELS, "template": TEMPLATE, "zeroshot_probs": rows(probs),
    }


def simple_tokenizer_differs(text):
    """Why OpenAI's simple_tokenizer (Vireo's reference) and HF's tokenizers CLIP pipeline differ on this text, or None."""
    if "&" in text:
        return "html: simple_tokenizer unescapes entities twice (ftfy + html.unescape), tokenizers does not"
    if any(0x1c <= ord(c) <= 0x1f for c in text):
        return "whitespace: Python's str.split() splits at U+001C..U+001F, the \\s+ of tokenizers does not"
    if "\u017f" in text:
        return "regex: Python's IGNORECASE matches long s (U+017F) as 's' in the contraction 's"
    if "\u03a3" in text:
        return "lowercase: Python lowers a word-final capital sigma to final sigma (U+03C2), tokenizers to U+03C3"
    if "<|" in text.lower():
        return "special tokens: simple_tokenizer matches <|startoftext|>/<|endoftext|> after lowercasing, " \
               "tokenizers only the exact added tokens"
    return None


def clip_tokenizer_golden():
    tokenizer = CLIPTokenizer.from_pretrained(TINY)
    golden = json.load(open(os.path.join(TEXT, "clip_golden.json")))
    cases = []
    for c in golden["cases"]:
        ids = tokenizer(c["text"])["input_ids"]
        reason = simple_tokenizer_differs(c["text"]) if ids != c["ids"] else None
        if reason is None and ids != c["ids"]:
            sys.exit(f"transformers and simple_tokenizer differ on {c['text']!r} for no known reason")
        cases.append({"text": c["text"], "ids": ids} | ({} if reason is None else {"differs_by_design": reason}))
    return {"reference": "transformers CLIPTokenizer (tokenizers-backed) on tiny-clip's vocab.json + merges.txt",
            "versions": VERSIONS, "cases": cases}


def encoding(e):
    return {"ids": e.ids, "type_ids": e.type_ids, "attention_mask": e.attention_mask}


EARLY_CUT = ("tokenizers 0.23 cuts a long sequence early, at a word boundary past the length, before LongestFirst "
             "splits the places; Vireo (and truncate_encodings on whole sequences) splits by the whole lengths")


def longest_first(n1, n2, places):
    """tokenizers' truncate_encodings (utils/truncation.rs) on the whole sequences: how many of each stay."""
    if n1 + n2 <= places:
        return n1, n2
    swap = n1 > n2
    if swap:
        n1, n2 = n2, n1
    n2 = n1 if n1 > places else max(n1, places - n1)
    if n1 + n2 > places:
        n1 = places // 2
        n2 = n1 + places % 2
    return (n2, n1) if swap else (n1, n2)


def wordpiece_golden(golden_name, tokenizer_path):
    golden = json.load(open(os.path.join(TEXT, golden_name)))
    raw = open(tokenizer_path, "rb").read()
    digest = hashlib.sha256(raw).hexdigest()
    if digest != golden["tokenizer_sha256"]:
        sys.exit(f"{tokenizer_path} is not the tokenizer {golden_name} was made from")
    tok = tokenizers.Tokenizer.from_str(raw.decode("utf-8"))

    def run(a, b, length):
        if length is None:
            tok.no_truncation()
            tok.no_padding()
        else:
            tok.enable_truncation(max_length=length, strategy="longest_first", direction="right")
            tok.enable_padding(length=length, pad_id=tok.token_to_id("[PAD]"), pad_token="[PAD]")
        return tok.encode(a) if b is None else tok.encode(a, b)

    length = golden["max_length"]
    cases = [{"text": c["text"], "unpadded": run(c["text"], None, None).ids, "fixed": encoding(run(c["text"], None, length))}
             for c in golden["cases"]]
    pairs = []
    for p in golden["pairs"]:
        full, fixed = run(p["a"], p["b"], None), run(p["a"], p["b"], p["length"])
        pair = {"a": p["a"], "b": p["b"], "length": p["length"], "unpadded": encoding(full), "fixed": encoding(fixed)}
        n1, n2 = full.type_ids.count(0) - 2, full.type_ids.count(1) - 1
        kept = (fixed.type_ids.count(0) - 2 - fixed.attention_mask.count(0), fixed.type_ids.count(1) - 1)
        if kept != longest_first(n1, n2, p["length"] - 3):
            pair["differs_by_design"] = EARLY_CUT
        pairs.append(pair)
    return {"max_length": length, "cases": cases, "pairs": pairs, "tokenizer": golden["tokenizer"],
            "tokenizer_sha256": digest, "reference": "tokenizers.Tokenizer " + tokenizers.__version__}


def write(path, data):
    with open(path, "w") as f:
        json.dump(data, f, ensure_ascii=True, separators=(",", ":"))
    print("wrote", os.path.relpath(path, HERE))


def main():
    torch.manual_seed(0)
    write(os.path.join(TINY, "transformers_expected.json"), clip_references())
    write(os.path.join(TEXT, "clip_transformers_golden.json"), clip_tokenizer_golden())
    write(os.path.join(TEXT, "wordpiece_fixture_tokenizers_golden.json"),
          wordpiece_golden("wordpiece_fixture_golden.json", os.path.join(TEXT, "wordpiece_fixture_tokenizer.json")))
    write(os.path.join(TEXT, "minilm_tokenizers_golden.json"), wordpiece_golden("minilm_golden.json", MINILM_TOKENIZER))


if __name__ == "__main__":
    main()
