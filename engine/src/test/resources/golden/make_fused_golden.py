"""Golden fixtures for Vireo's fused ops, from PyTorch (run with Debian's /usr/bin/python3).

Writes fused_golden.json beside this script:
  attention_causal : softmax(q k^T * scale + causal mask) v, the math F.scaled_dot_product_attention does,
                     with its output and the gradients of q, k, v for a fixed upstream gradient
  attention_masked : the same, not causal, with a key padding mask (B, T), 1 = keep
  clip             : CLIP's symmetric InfoNCE on unit-length embeddings with a learnable logit scale,
                     its value and the gradients of both embeddings and the scale
  adamw            : three steps of torch.optim.AdamW on one parameter with given gradients
"""
import json
import math
import os

import torch
import torch.nn.functional as F


def flat(t):
    return [float(x) for x in t.detach().reshape(-1).tolist()]


def attention_case(causal, masked):
    g = torch.Generator().manual_seed(7 if causal else 8)
    b, h, t, d = 2, 3, 5, 4
    q, k, v = (torch.randn(b, h, t, d, generator=g, requires_grad=True) for _ in range(3))
    grad_out = torch.randn(b, h, t, d, generator=g)
    scale = 1.0 / math.sqrt(d)
    scores = torch.matmul(q, k.transpose(-2, -1)) * scale            # (B, H, T, T)
    keep = torch.ones(b, t)
    if causal:
        scores = scores.masked_fill(torch.ones(t, t, dtype=torch.bool).triu(1), float("-inf"))
    if masked:
        keep[0, 3] = 0
        keep[1, 0] = 0
        keep[1, 4] = 0
        scores = scores.masked_fill(keep[:, None, None, :] == 0, float("-inf"))
    out = torch.matmul(torch.softmax(scores, dim=-1), v)              # (B, H, T, D)
    out.backward(grad_out)
    # flags as 0/1: the tests read this file with the engine's JsonReader, which takes no true/false
    case = {"b": b, "h": h, "t": t, "d": d, "causal": int(causal), "scale": scale,
            "q": flat(q), "k": flat(k), "v": flat(v), "grad_out": flat(grad_out),
            "out": flat(out), "dq": flat(q.grad), "dk": flat(k.grad), "dv": flat(v.grad)}
    if masked:
        case["mask"] = flat(keep)
    return case


def clip_case():
    g = torch.Generator().manual_seed(9)
    n, e = 6, 8
    img = F.normalize(torch.randn(n, e, generator=g), dim=-1).requires_grad_(True)
    txt = F.normalize(torch.randn(n, e, generator=g), dim=-1).requires_grad_(True)
    t = torch.tensor(2.6593, requires_grad=True)
    logits = t.exp() * img @ txt.t()                                  # (N, N)
    labels = torch.arange(n)
    loss = (F.cross_entropy(logits, labels) + F.cross_entropy(logits.t(), labels)) / 2
    loss.backward()
    return {"n": n, "e": e, "t": float(t), "image": flat(img), "text": flat(txt), "loss": float(loss),
            "d_image": flat(img.grad), "d_text": flat(txt.grad), "d_t": float(t.grad)}


def adamw_case():
    g = torch.Generator().manual_seed(10)
    n = 37
    p = torch.nn.Parameter(torch.randn(n, generator=g))
    lr, betas, eps, wd = 1e-2, (0.9, 0.999), 1e-8, 0.1
    opt = torch.optim.AdamW([p], lr=lr, betas=betas, eps=eps, weight_decay=wd)
    case = {"n": n, "lr": lr, "beta1": betas[0], "beta2": betas[1], "eps": eps, "weight_decay": wd,
            "param": flat(p), "grads": [], "params_after": []}
    for _ in range(3):
        grad = torch.randn(n, generator=g)
        p.grad = grad.clone()
        opt.step()
        case["grads"].append(flat(grad))
        case["params_after"].append(flat(p))
    return case


def main():
    torch.set_num_threads(1)
    fixtures = {"torch_version": torch.__version__,
                "attention_causal": attention_case(causal=True, masked=False),
                "attention_masked": attention_case(causal=False, masked=True),
                "clip": clip_case(),
                "adamw": adamw_case()}
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fused_golden.json")
    with open(path, "w") as f:
        json.dump(fixtures, f, indent=1)
    print("wrote", path)


if __name__ == "__main__":
    main()
