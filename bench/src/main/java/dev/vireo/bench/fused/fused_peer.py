"""Peer timings for Vireo's fused ops with PyTorch 1.13: attention forward+backward (the explicit
matmul/softmax math of shared/peers/bench_attention.py, which times the forward only) and InfoNCE
forward+backward (as shared/peers/bench_infonce.py, with and without its F.normalize).
Reports median wall ms and median process-CPU ms per call (CPU time is steadier on a shared machine).

Standalone; run with Debian's python and the peers' settings (see shared/PEERS.md), for 1 or 2 threads:
  env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OMP_NUM_THREADS=2 OPENBLAS_NUM_THREADS=2 \
      OMP_WAIT_POLICY=PASSIVE LD_PRELOAD=libtcmalloc_minimal.so.4 /usr/bin/python3 fused_peer.py 2 attention
(second argument: attention or infonce). Vireo's side: FusedBenchSections or the JMH benches here."""
import math, sys, time
import torch
import torch.nn.functional as F

def measure(fn, reps, warm=3):
    for _ in range(warm):
        fn()
    wall, cpu = [], []
    for _ in range(reps):
        w0, c0 = time.perf_counter(), time.process_time()
        fn()
        wall.append(time.perf_counter() - w0); cpu.append(time.process_time() - c0)
    wall.sort(); cpu.sort()
    return wall[len(wall)//2] * 1e3, cpu[len(cpu)//2] * 1e3, min(cpu) * 1e3

def main():
    threads = int(sys.argv[1]); what = sys.argv[2]
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    if what == "attention":
        for B, H, S, D, causal in ((64, 12, 50, 64, False), (64, 8, 77, 64, True)):
            q, k, v = (torch.randn(B, H, S, D, requires_grad=True) for _ in range(3))
            go = torch.randn(B, H, S, D)
            scale = 1.0 / math.sqrt(D)
            mask_add = torch.full((S, S), float("-inf")).triu_(1)
            def fb():
                q.grad = k.grad = v.grad = None
                a = torch.matmul(q, k.transpose(-2, -1)) * scale
                if causal:
                    a = a + mask_add
                torch.matmul(torch.softmax(a, dim=-1), v).backward(go)
            w, c, cmin = measure(fb, 15)
            print(f"attention B={B} H={H} T={S} D={D} causal={causal} threads={threads}: wall {w:.2f} ms, cpu {c:.2f} ms (min {cmin:.2f})", flush=True)
    else:
        n, d = 4096, 512
        img = torch.randn(n, d, requires_grad=True); txt = torch.randn(n, d, requires_grad=True)
        scale = torch.nn.Parameter(torch.tensor(2.6593))
        labels = torch.arange(n)
        for name, norm in (("with F.normalize (bench_infonce.py)", True), ("embeddings given (as Vireo)", False)):
            def fb():
                img.grad = txt.grad = scale.grad = None
                a, b = (F.normalize(img, dim=-1), F.normalize(txt, dim=-1)) if norm else (img, txt)
                logits = scale.exp() * a @ b.t()
                (0.5 * (F.cross_entropy(logits, labels) + F.cross_entropy(logits.t(), labels))).backward()
            w, c, cmin = measure(fb, 5, warm=1)
            print(f"infonce N={n} d={d} threads={threads} {name}: wall {w:.2f} ms, cpu {c:.2f} ms (min {cmin:.2f})", flush=True)

main()
