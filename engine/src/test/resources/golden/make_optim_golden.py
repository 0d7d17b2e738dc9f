#!/usr/bin/python3
"""Optimiser trajectories from PyTorch, for OptimGoldenTest.

A tiny fixed model, y = tanh(x·W1 + b1)·W2 + b2 with a mean-squared-error loss, float32, trained
20 steps on fixed data by:
  adamw     torch.optim.AdamW with two parameter groups (weights: lr 0.05, wd 0.1; biases: lr 0.02,
            wd 0), betas (0.9, 0.99), a linear-warm-up-cosine LambdaLR and clip_grad_norm_(1.0);
  nesterov  torch.optim.SGD, momentum 0.9, Nesterov, weight decay 1e-3, lr 0.1 halved every 5 steps;
  dampened  torch.optim.SGD, momentum 0.8, dampening 0.3, lr 0.05, clip_grad_norm_(0.5).
Writes optim_golden.json: the data, the initial parameters, and per step the loss, the gradient norm
(before clipping), each group's learning rate and every parameter after the step.
Run with Debian's python: /usr/bin/python3 make_optim_golden.py
"""
import json
import math
import os

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
STEPS = 20
N, IN, HID, OUT = 8, 3, 5, 2


def warmup_cosine(warmup, total, floor):
    """Same formula as LrSchedule.warmupCosine."""
    def factor(step):
        if step < warmup:
            return (step + 1) / warmup
        progress = min(1.0, (step - warmup) / max(1, total - warmup))
        return floor + (1 - floor) * 0.5 * (1 + math.cos(math.pi * progress))
    return factor


def data():
    rs = np.random.RandomState(1234)
    x = rs.uniform(-1, 1, size=(N, IN)).astype(np.float32)
    y = np.stack([np.sin(2 * x[:, 0]) + x[:, 1] * x[:, 2], np.cos(x[:, 1]) - x[:, 0]], axis=1).astype(np.float32)
    init = {
        "W1": rs.normal(0, 0.8, size=(IN, HID)).astype(np.float32),
        "b1": rs.normal(0, 0.1, size=(HID,)).astype(np.float32),
        "W2": rs.normal(0, 0.6, size=(HID, OUT)).astype(np.float32),
        "b2": rs.normal(0, 0.1, size=(OUT,)).astype(np.float32),
    }
    return x, y, init


def run(case, x, y, init):
    p = {k: torch.tensor(v, requires_grad=True) for k, v in init.items()}
    xt, yt = torch.tensor(x), torch.tensor(y)
    clip = None
    if case == "adamw":
        opt = torch.optim.AdamW([
            {"params": [p["W1"], p["W2"]], "lr": 0.05, "weight_decay": 0.1},
            {"params": [p["b1"], p["b2"]], "lr": 0.02, "weight_decay": 0.0},
        ], betas=(0.9, 0.99), eps=1e-8)
        sched = torch.optim.lr_scheduler.LambdaLR(opt, warmup_cosine(5, STEPS, 0.1))
        clip = 1.0
    elif case == "nesterov":
        opt = torch.optim.SGD(list(p.values()), lr=0.1, momentum=0.9, nesterov=True, weight_decay=1e-3)
        sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: 0.5 ** (s // 5))
    else:
        opt = torch.optim.SGD(list(p.values()), lr=0.05, momentum=0.8, dampening=0.3)
        sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: 1.0)
        clip = 0.5
    steps = []
    for _ in range(STEPS):
        opt.zero_grad()
        pred = torch.tanh(xt @ p["W1"] + p["b1"]) @ p["W2"] + p["b2"]
        diff = pred - yt
        loss = (diff * diff).mean()
        loss.backward()
        norm = torch.nn.utils.clip_grad_norm_(list(p.values()), clip if clip else 1e9)
        lrs = [g["lr"] for g in opt.param_groups]
        opt.step()
        sched.step()
        steps.append({
            "loss": float(loss),
            "norm": float(norm),
            "lrs": lrs,
            "params": {k: [float(v) for v in t.detach().numpy().ravel()] for k, t in p.items()},
        })
    return steps


def main():
    torch.set_num_threads(1)
    x, y, init = data()
    out = {
        "torch": torch.__version__,
        "x": [float(v) for v in x.ravel()], "x_shape": list(x.shape),
        "y": [float(v) for v in y.ravel()], "y_shape": list(y.shape),
        "init": {k: [float(t) for t in v.ravel()] for k, v in init.items()},
        "shapes": {k: list(v.shape) for k, v in init.items()},
        "cases": {c: run(c, x, y, init) for c in ("adamw", "nesterov", "dampened")},
    }
    path = os.path.join(HERE, "optim_golden.json")
    with open(path, "w") as f:
        json.dump(out, f, indent=1)
    print("wrote", path)


if __name__ == "__main__":
    main()
