#!/usr/bin/env python3
"""A tiny random BertModel saved by transformers (config.json, model.safetensors, vocab.txt) with
its outputs, the reference for loading Hugging Face BERT folders: tiny_bert/ and tiny_bert_golden.json.

Run with the peers' venv (transformers 5.18, torch 2.13):
  bash ../shared/peers/venv.sh /tmp/peers && /tmp/peers/bin/python models/src/test/resources/bert/make_tiny_bert.py
"""
import json
import os

import torch
from transformers import BertConfig, BertModel

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "tiny_bert")
VOCAB = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] + "a photo of the cat dog on mat red blue , . ! ##s ##ing run jump".split()


def main():
    torch.manual_seed(0)
    config = BertConfig(vocab_size=len(VOCAB), hidden_size=32, num_hidden_layers=2, num_attention_heads=4,
                        intermediate_size=64, max_position_embeddings=16, type_vocab_size=2, hidden_act="gelu",
                        layer_norm_eps=1e-12)
    model = BertModel(config, add_pooling_layer=True).eval()
    with torch.no_grad():  # larger weights than the 0.02 init, so the test sees real differences
        for p in model.parameters():
            p.add_(torch.randn_like(p) * 0.2)
    os.makedirs(OUT, exist_ok=True)
    model.save_pretrained(OUT, safe_serialization=True)
    with open(os.path.join(OUT, "vocab.txt"), "w") as f:
        f.write("\n".join(VOCAB) + "\n")
    with open(os.path.join(OUT, "tokenizer_config.json"), "w") as f:
        json.dump({"do_lower_case": True, "model_max_length": 16}, f)
    ids = torch.tensor([[2, 5, 6, 7, 8, 9, 3], [2, 9, 20, 3, 0, 0, 0]])
    mask = (ids != 0).long()
    types = torch.tensor([[0, 0, 0, 0, 1, 1, 1], [0, 0, 0, 0, 0, 0, 0]])
    with torch.no_grad():
        out = model(input_ids=ids, attention_mask=mask, token_type_ids=types)
    hidden = out.last_hidden_state.double()
    m = mask[:, :, None].double()
    mean = (hidden * m).sum(1) / m.sum(1)
    golden = {"ids": ids.tolist(), "mask": mask.tolist(), "types": types.tolist(),
              "last_hidden_state": [[[round(float(v), 7) for v in row] for row, keep in zip(seq, mk) if keep]
                                    for seq, mk in zip(hidden, mask)],
              "pooler_output": [[round(float(v), 7) for v in row] for row in out.pooler_output],
              "mean_pooled": [[round(float(v), 7) for v in row] for row in mean],
              "reference": "transformers %s, torch %s" % (__import__("transformers").__version__, torch.__version__)}
    with open(os.path.join(HERE, "tiny_bert_golden.json"), "w") as f:
        json.dump(golden, f, indent=1)
    for name in os.listdir(OUT):
        print(name, os.path.getsize(os.path.join(OUT, name)))


if __name__ == "__main__":
    main()
