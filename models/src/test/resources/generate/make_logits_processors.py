#!/usr/bin/env python3
"""logits_processors.json: transformers' logits processors and warpers applied, in the order its
generate applies them (repetition penalty, min length, then temperature, top-k, top-p), to fixed
rows of scores, for the settings below; -inf is written as the string "-inf".

Run with the peers' venv (transformers 5.18, torch 2.13):
  /work/peers-venv/bin/python models/src/test/resources/generate/make_logits_processors.py
"""
import json
import os

import torch
from transformers import __version__ as transformers_version
from transformers.generation.logits_process import (LogitsProcessorList, MinLengthLogitsProcessor,
                                                    RepetitionPenaltyLogitsProcessor, TemperatureLogitsWarper,
                                                    TopKLogitsWarper, TopPLogitsWarper)

HERE = os.path.dirname(os.path.abspath(__file__))
EOS = 3
SCORES = [[1.5, -0.5, 2.0, 0.7, -1.2, 0.1, 3.1, -2.2, 0.9, 0.0, 1.1, -0.3],
          [-0.2, 0.4, -1.0, 2.5, 0.3, 0.35, -0.8, 1.9, -3.0, 0.05, 0.6, 1.2]]
SEQUENCES = [[6, 2, 2, 9, 1], [7, 4, 11, 3, 0]]
CASES = [  # repetition_penalty, min_length, temperature, top_k, top_p, min_tokens_to_keep
    dict(repetition_penalty=1.3, min_length=0, temperature=1.0, top_k=0, top_p=1.0, min_keep=1),
    dict(repetition_penalty=0.8, min_length=6, temperature=1.0, top_k=0, top_p=1.0, min_keep=1),
    dict(repetition_penalty=1.0, min_length=0, temperature=0.7, top_k=3, top_p=1.0, min_keep=1),
    dict(repetition_penalty=1.0, min_length=0, temperature=1.0, top_k=0, top_p=0.8, min_keep=1),
    dict(repetition_penalty=1.2, min_length=6, temperature=1.5, top_k=5, top_p=0.6, min_keep=1),
    dict(repetition_penalty=1.0, min_length=0, temperature=0.5, top_k=1, top_p=0.3, min_keep=2),
    dict(repetition_penalty=1.0, min_length=0, temperature=2.0, top_k=0, top_p=0.05, min_keep=1),
]


def main():
    scores = torch.tensor(SCORES)
    ids = torch.tensor(SEQUENCES)
    out = []
    for case in CASES:
        processors = LogitsProcessorList()
        if case["repetition_penalty"] != 1.0:
            processors.append(RepetitionPenaltyLogitsProcessor(case["repetition_penalty"]))
        if case["min_length"] > 0:
            processors.append(MinLengthLogitsProcessor(case["min_length"], EOS))
        if case["temperature"] != 1.0:
            processors.append(TemperatureLogitsWarper(case["temperature"]))
        if case["top_k"] != 0:
            processors.append(TopKLogitsWarper(case["top_k"], min_tokens_to_keep=case["min_keep"]))
        if case["top_p"] < 1.0:
            processors.append(TopPLogitsWarper(case["top_p"], min_tokens_to_keep=case["min_keep"]))
        result = processors(ids, scores.clone())
        rows = [["-inf" if v == float("-inf") else round(float(v), 7) for v in row] for row in result]
        out.append({**case, "scores": rows})
    golden = {"eos": EOS, "input_scores": SCORES, "sequences": SEQUENCES, "cases": out,
              "reference": "transformers %s, torch %s" % (transformers_version, torch.__version__)}
    with open(os.path.join(HERE, "logits_processors.json"), "w") as f:
        json.dump(golden, f, indent=1)
    for c in out:
        print(c)


if __name__ == "__main__":
    main()
