#!/usr/bin/env python3
"""Batched beam-search captioning with transformers + PyTorch, the peer of `vireo bench caption`.

BlipForConditionalGeneration.generate on a batch of pixel values: the vision tower, then beam search
in the text decoder (num_beams, exactly max_new_tokens new tokens: min_length = 1 + max_new_tokens,
the prompt being BLIP's [DEC] alone, so [SEP] cannot end a caption early), float32, eval,
torch.inference_mode, N intra-op threads. A warm-up round first, then --rounds timed ones.

The model is a Hugging Face folder. If --model does not exist, the script makes it first, without any
download: a BLIP-base-sized captioner (the sizes of Salesforce/blip-image-captioning-base's config:
ViT-B/16 at 384 px, a 12-layer BERT-base text decoder with cross-attention, vocabulary 30524) with
transformers' own random init under torch.manual_seed(--seed) plus Gaussian noise of std 0.1 on every
weight (with the init's std 0.02 alone, the decoder attends so evenly that every image gets the same
caption; it still repeats its first word, as a random decoder tied to its word embeddings does), a
BERT-style vocabulary of placeholder words and the BLIP image processor, saved with save_pretrained;
`vireo bench caption --model DIR` loads the same folder, so both sides run the same weights and their
ids can be compared.

The pixel values are not an image but a formula both sides compute exactly (pixel_values below).

  python bench_caption_hf.py --model DIR [--config blip-base|tiny] [--images 8] [--beams 3]
                             [--max-new-tokens 20] [--rounds 3] [--threads 2] [--seed 0] [--make-only]
Prints one JSON line: the timed rounds' seconds, median and best, images/s, the generated ids, their
sha256 (the same digest `vireo bench caption` prints), load time, peak RSS and the CPU other
processes took during the timed rounds (foreign_cpu, in CPUs, as ../shared/peers/common.py).
Best settings on this machine (../shared/PEERS.md): LD_PRELOAD=libtcmalloc_minimal.so.4 and
OMP_WAIT_POLICY=PASSIVE, which compare_caption.sh sets.
"""
import argparse
import hashlib
import json
import os
import resource
import statistics
import time

import numpy as np
import torch
import transformers
from transformers import (BertTokenizer, BlipConfig, BlipForConditionalGeneration, BlipImageProcessorPil,
                          BlipProcessor)

WEIGHT_NOISE = 0.1  # std of the noise added to every weight of a model made here (see above)
# name -> (text_config, vision_config): blip-base is Salesforce/blip-image-captioning-base's sizes
CONFIGS = {
    "blip-base": (dict(vocab_size=30524, hidden_size=768, num_hidden_layers=12, num_attention_heads=12,
                       intermediate_size=3072, max_position_embeddings=512, layer_norm_eps=1e-12),
                  dict(hidden_size=768, num_hidden_layers=12, num_attention_heads=12, intermediate_size=3072,
                       image_size=384, patch_size=16, layer_norm_eps=1e-5)),
    "tiny": (dict(vocab_size=30524, hidden_size=32, num_hidden_layers=2, num_attention_heads=4, intermediate_size=64,
                  max_position_embeddings=64, layer_norm_eps=1e-12),
             dict(hidden_size=32, num_hidden_layers=2, num_attention_heads=4, intermediate_size=64, image_size=32,
                  patch_size=8, layer_norm_eps=1e-5)),
}


def vocab_words():
    """bert-base-uncased's special ids ([PAD] 0, [UNK] 100, [CLS] 101, [SEP] 102, [MASK] 103) in 30522 words."""
    words = ["[PAD]"] + ["[unused%d]" % i for i in range(99)] + ["[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    return words + ["w%d" % i for i in range(len(words), 30522)]


def make_model(folder, name, seed):
    """A random BlipForConditionalGeneration of config `name` with its processor, saved to `folder`."""
    torch.manual_seed(seed)
    tokenizer = BertTokenizer(vocab={w: i for i, w in enumerate(vocab_words())}, do_lower_case=True)
    # as BLIP's init_tokenizer: [DEC] (30522) as bos, [ENC] (30523) an additional special token
    tokenizer.add_special_tokens({"bos_token": "[DEC]"})
    tokenizer.add_special_tokens({"additional_special_tokens": ["[ENC]"]})
    text, vision = CONFIGS[name]
    side = vision["image_size"]
    processor = BlipProcessor(image_processor=BlipImageProcessorPil(size={"height": side, "width": side}), tokenizer=tokenizer)
    config = BlipConfig(text_config=dict(text, bos_token_id=tokenizer.bos_token_id, pad_token_id=0,
                                         sep_token_id=tokenizer.sep_token_id),
                        vision_config=vision)
    config.architectures = ["BlipForConditionalGeneration"]
    model = BlipForConditionalGeneration(config).eval()
    with torch.no_grad():  # larger than the init (std 0.02), so that the captions depend on the image
        for p in model.parameters():
            p.add_(torch.randn_like(p) * WEIGHT_NOISE)
    os.makedirs(folder, exist_ok=True)
    model.save_pretrained(folder, safe_serialization=True)
    processor.save_pretrained(folder)
    del model


def pixel_values(images, side):
    """(images, 3, side, side): ((h(i) >> 26) + 8 (b mod 8)) / 32 - 2 at flat index i of image b, where
    h(i) = i * 2654435761 mod 2^32 (Knuth's multiplicative hash): noise whose mean differs from image to
    image (random weights attend almost uniformly, so noise of one mean would give every image one
    caption); multiples of 1/32 in [-2, 2), exact in float32."""
    per_image = 3 * side * side
    i = np.arange(images * per_image, dtype=np.uint64)
    h = (i * np.uint64(2654435761)) & np.uint64(0xFFFFFFFF)
    b = (i // np.uint64(per_image)) % np.uint64(8)
    v = ((h >> np.uint64(26)) + np.uint64(8) * b).astype(np.float32) / np.float32(32) - np.float32(2)
    return torch.from_numpy(v.reshape(images, 3, side, side))


def ids_sha256(rows):
    """sha256 of the ids as text: a row's ids joined by ',', rows by ';' (the digest vireo prints)."""
    return hashlib.sha256(";".join(",".join(str(t) for t in r) for r in rows).encode("ascii")).hexdigest()


def busy_ticks():
    """user + nice + system + irq + softirq + steal of all CPUs (/proc/stat), as ../shared/peers/common.py."""
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    return v[0] + v[1] + v[2] + v[5] + v[6] + v[7]


def own_cpu_s():
    t = os.times()
    return t.user + t.system


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", required=True, help="a BlipForConditionalGeneration folder, made if absent")
    ap.add_argument("--config", default="blip-base", choices=sorted(CONFIGS), help="sizes of a model made here")
    ap.add_argument("--images", type=int, default=8)
    ap.add_argument("--beams", type=int, default=3)
    ap.add_argument("--max-new-tokens", type=int, default=20)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--make-only", action="store_true", help="make the model folder if absent, time nothing")
    a = ap.parse_args()
    if min(a.images, a.beams, a.max_new_tokens, a.rounds, a.threads) < 1:
        ap.error("--images, --beams, --max-new-tokens, --rounds and --threads must be positive")
    torch.set_num_threads(a.threads)
    made = False
    if not os.path.exists(os.path.join(a.model, "config.json")):
        make_model(a.model, a.config, a.seed)
        made = True
    if a.make_only:
        print(json.dumps({"model": a.model, "made_model": made}))
        return

    t0 = time.perf_counter()
    model = BlipForConditionalGeneration.from_pretrained(a.model, dtype=torch.float32).eval()
    load_s = time.perf_counter() - t0
    side = model.config.vision_config.image_size
    pixels = pixel_values(a.images, side)
    kwargs = dict(num_beams=a.beams, max_new_tokens=a.max_new_tokens, min_length=1 + a.max_new_tokens,
                  do_sample=False, length_penalty=1.0, early_stopping=False, repetition_penalty=1.0)

    def generate():
        with torch.inference_mode():
            return model.generate(pixel_values=pixels, **kwargs)

    t0 = time.perf_counter()
    generate()  # warm-up
    warmup_s = time.perf_counter() - t0
    seconds, ids = [], None
    b0, o0, w0 = busy_ticks(), own_cpu_s(), time.perf_counter()
    for _ in range(a.rounds):
        t0 = time.perf_counter()
        out = generate()
        seconds.append(time.perf_counter() - t0)
        ids = out.tolist()
    wall = time.perf_counter() - w0
    foreign = max(0.0, ((busy_ticks() - b0) / os.sysconf("SC_CLK_TCK") - (own_cpu_s() - o0)) / wall)
    median = statistics.median(seconds)
    rec = {"side": "transformers %s + torch %s" % (transformers.__version__, torch.__version__),
           "model": a.model, "made_model": made, "threads": torch.get_num_threads(),
           "allocator": "tcmalloc" if "tcmalloc" in os.environ.get("LD_PRELOAD", "") else "glibc",
           "omp_wait_policy": os.environ.get("OMP_WAIT_POLICY", "(unset)"),
           "images": a.images, "beams": a.beams, "max_new_tokens": a.max_new_tokens,
           "new_tokens": len(ids[0]) - 1, "load_s": round(load_s, 3), "warmup_s": round(warmup_s, 3),
           "round_s": [round(s, 3) for s in seconds], "median_s": round(median, 3), "min_s": round(min(seconds), 3),
           "images_per_s": round(a.images / median, 4), "ids_sha256": ids_sha256(ids), "ids": ids,
           "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0),
           "foreign_cpu": round(foreign, 2)}
    print(json.dumps(rec))


if __name__ == "__main__":
    main()
