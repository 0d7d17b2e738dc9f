#!/usr/bin/python3
"""Writes ops_golden.json: inputs, outputs and input gradients of Vireo's nn ops computed by PyTorch.

Run from this folder with Debian's python (python3-torch): /usr/bin/python3 make_ops_golden.py
Each case seeds its inputs, computes the op in float32, then backpropagates a random gradOut
(stored too) so the Java test (OpsGoldenTest) can replay exactly the same backward pass.
"""
import json

import torch
import torch.nn.functional as F

torch.manual_seed(2024)
cases = []


def tensor_json(t):
    return {"shape": list(t.shape), "data": [float(v) for v in t.detach().reshape(-1).tolist()]}


def case(name, op, fn, inputs, params=None):
    leaves = {k: v.clone().float().requires_grad_(True) for k, v in inputs.items()}
    out = fn(**leaves)
    grad_out = torch.randn(out.shape)
    out.backward(grad_out)
    cases.append({
        "name": name,
        "op": op,
        "params": params or {},
        "inputs": {k: tensor_json(v) for k, v in leaves.items()},
        "output": tensor_json(out),
        "gradOut": tensor_json(grad_out),
        "grads": {k: tensor_json(v.grad) for k, v in leaves.items()},
    })


r = torch.randn
case("softmax last axis", "softmax", lambda x: F.softmax(x, dim=-1), {"x": r(3, 7) * 2}, {"axis": -1})
case("softmax first axis", "softmax", lambda x: F.softmax(x, dim=0), {"x": r(4, 3)}, {"axis": 0})
case("log_softmax middle axis", "logSoftmax", lambda x: F.log_softmax(x, dim=1), {"x": r(2, 3, 5)}, {"axis": 1})
case("layer_norm affine", "layerNorm",
     lambda x, gamma, beta: F.layer_norm(x, (10,), gamma, beta, 1e-5),
     {"x": r(4, 10) * 3 + 1, "gamma": r(10), "beta": r(10)}, {"eps": 1e-5})
case("layer_norm plain", "layerNorm", lambda x: F.layer_norm(x, (33,), None, None, 1e-5),
     {"x": r(2, 3, 33)}, {"eps": 1e-5})

targets = [1, -100, 4, 0, -100, 2]
case("cross_entropy", "crossEntropy", lambda logits: F.cross_entropy(logits, torch.tensor([1, 3, 4, 0, 2, 2])),
     {"logits": r(6, 5)}, {"targets": [1, 3, 4, 0, 2, 2], "ignoreIndex": -100, "labelSmoothing": 0.0})
case("cross_entropy ignore_index", "crossEntropy",
     lambda logits: F.cross_entropy(logits, torch.tensor(targets), ignore_index=-100),
     {"logits": r(6, 5)}, {"targets": targets, "ignoreIndex": -100, "labelSmoothing": 0.0})
case("cross_entropy ignore_index label_smoothing", "crossEntropy",
     lambda logits: F.cross_entropy(logits, torch.tensor(targets), ignore_index=-100, label_smoothing=0.1),
     {"logits": r(6, 5)}, {"targets": targets, "ignoreIndex": -100, "labelSmoothing": 0.1})
case("cross_entropy custom ignore label_smoothing", "crossEntropy",
     lambda logits: F.cross_entropy(logits, torch.tensor([3, 1, 3, 0]), ignore_index=3, label_smoothing=0.25),
     {"logits": r(4, 7)}, {"targets": [3, 1, 3, 0], "ignoreIndex": 3, "labelSmoothing": 0.25})

case("gelu exact", "gelu", lambda x: F.gelu(x), {"x": r(40) * 2})
case("gelu tanh", "geluTanh", lambda x: F.gelu(x, approximate="tanh"), {"x": r(40) * 2})

normalize_x = r(4, 6)
normalize_x[2] = 0.0  # a zero row: the denominator is clamped at eps
case("normalize", "l2Normalize", lambda x: F.normalize(x, dim=1), {"x": normalize_x}, {"axis": 1, "eps": 1e-12})
case("normalize first axis", "l2Normalize", lambda x: F.normalize(x, dim=0), {"x": r(5, 3)}, {"axis": 0, "eps": 1e-12})
case("cosine_similarity", "cosineSimilarity", lambda a, b: F.cosine_similarity(a, b, dim=1),
     {"a": r(4, 8), "b": r(4, 8)}, {"axis": 1, "eps": 1e-8})

case("conv2d stride 2 pad 1", "conv2d", lambda x, weight, bias: F.conv2d(x, weight, bias, stride=2, padding=1),
     {"x": r(2, 3, 7, 6), "weight": r(4, 3, 3, 3) * 0.3, "bias": r(4)}, {"stride": 2, "padding": 1})
case("conv2d patches", "conv2d", lambda x, weight, bias: F.conv2d(x, weight, bias, stride=4),
     {"x": r(2, 3, 8, 8), "weight": r(5, 3, 4, 4) * 0.2, "bias": r(5)}, {"stride": 4, "padding": 0})

# keepdim as 0/1: the tests read this file with the engine's JsonReader, which takes no true/false
case("var unbiased keepdim", "var", lambda x: torch.var(x, dim=(0, 2), unbiased=True, keepdim=True),
     {"x": r(3, 4, 5)}, {"axes": [0, 2], "correction": 1, "keepdim": 1})
case("var biased", "var", lambda x: torch.var(x, dim=1, unbiased=False), {"x": r(3, 4, 5) + 2},
     {"axes": [1], "correction": 0, "keepdim": 0})
case("logsumexp", "logsumexp", lambda x: torch.logsumexp(x, dim=(1,)), {"x": r(3, 4, 5) * 3},
     {"axes": [1], "keepdim": 0})
case("logsumexp two axes keepdim", "logsumexp", lambda x: torch.logsumexp(x, dim=(0, 2), keepdim=True),
     {"x": r(3, 4, 5)}, {"axes": [0, 2], "keepdim": 1})

with open("ops_golden.json", "w") as f:
    json.dump({"torch": torch.__version__, "cases": cases}, f, separators=(",", ":"))
    f.write("\n")
print(f"wrote {len(cases)} cases with torch {torch.__version__}")
