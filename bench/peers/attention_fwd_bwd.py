"""PyTorch 1.13 attention forward + backward on the shapes of `vireo bench kernels`, median ms.

softmax(scale·Q·Kᵀ + mask)·V with a gradient for Q, K and V: the math Vireo's fused kernel computes
(torch 1.13 has no fused scaled_dot_product_attention). Prints one JSON line per shape.
Usage: python3 attention_fwd_bwd.py THREADS
"""
import json
import sys
import time

import torch


def bench(b, h, t, d, causal, reps=10):
    q, k, v = (torch.randn(b, h, t, d, requires_grad=True) for _ in range(3))
    mask = torch.triu(torch.full((t, t), float("-inf")), 1) if causal else None
    grad = torch.randn(b, h, t, d)

    def step():
        s = (q @ k.transpose(-1, -2)) * d ** -0.5
        if mask is not None:
            s = s + mask
        (torch.softmax(s, -1) @ v).backward(grad)

    for _ in range(3):
        step()
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        step()
        times.append(time.perf_counter() - t0)
    times.sort()
    return times[len(times) // 2] * 1e3


if __name__ == "__main__":
    threads = int(sys.argv[1])
    torch.set_num_threads(threads)
    for b, h, t, d, causal in [(64, 12, 50, 64, False), (64, 8, 77, 64, True)]:
        print(json.dumps({"b": b, "h": h, "t": t, "d": d, "causal": causal, "threads": threads,
                          "fwd_bwd_ms": round(bench(b, h, t, d, causal), 2)}))
