"""What `vireo embed --image P` does for one image, done with ONNX Runtime from a fresh Python
process: import onnxruntime, load the ViT-B/32 image tower (an .onnx file), preprocess the image as
CLIP does (shortest side to 224 with bicubic resampling, centre crop, CLIP's mean and std), run it
and print the features as JSON. Timed from outside, as a whole command, beside `bin/vireo embed`
(bench/peers/compare_inference.sh): interpreter start, imports, session creation (with ORT's own
weight pre-packing), preprocessing and the run.

    python ort_embed_cold.py --model clip_b32_image.onnx --image photo.png [--threads 2]
"""
import argparse, json

import numpy as np
import onnxruntime as ort
from PIL import Image

MEAN = np.array([0.48145466, 0.4578275, 0.40821073], dtype=np.float32)
STD = np.array([0.26862954, 0.26130258, 0.27577711], dtype=np.float32)


def preprocess(path, size=224):
    img = Image.open(path).convert("RGB")
    w, h = img.size
    scale = size / min(w, h)
    img = img.resize((max(size, round(w * scale)), max(size, round(h * scale))), Image.BICUBIC)
    w, h = img.size
    left, top = (w - size) // 2, (h - size) // 2
    img = img.crop((left, top, left + size, top + size))
    x = (np.asarray(img, dtype=np.float32) / 255.0 - MEAN) / STD
    return x.transpose(2, 0, 1)[None]  # (1, 3, 224, 224)


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--model", required=True)
    p.add_argument("--image", required=True)
    p.add_argument("--threads", type=int, default=2)
    a = p.parse_args()
    so = ort.SessionOptions()
    so.intra_op_num_threads, so.inter_op_num_threads = a.threads, 1
    so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    session = ort.InferenceSession(a.model, so, providers=["CPUExecutionProvider"])
    x = preprocess(a.image)
    features = session.run(None, {session.get_inputs()[0].name: x})[0]
    print(json.dumps({"image_embeds": features.tolist()}))


if __name__ == "__main__":
    main()
