"""sgemm GFLOP/s of numpy (OpenBLAS) and torch on Vireo's benchmark shapes, and the ratio table.

  compare_kernels.py measure --threads N [--shapes MxKxN,..] [--libs numpy,torch] [--quick]  -> JSON lines
  compare_kernels.py table PEERS.jsonl VIREO.json...                      -> markdown ratio table

Same shapes and forms as dev.vireo.bench.GemmSection: nn C = A@B, nt C = A@B.T (B stored (n, k)),
tn C = A.T@B (A stored (k, m)); transposed operands are views, so OpenBLAS gets a transpose flag,
not a copy. Timing follows /work/shared/peers/common.py: warm-up, then the median of timed reps.
Run with Debian's /usr/bin/python3 (numpy and torch are system packages there).
"""
import argparse
import json
import os
import statistics
import sys
import time

SHAPES = [(3200, 768, 3072), (4928, 512, 2048), (3200, 768, 768), (1024, 1024, 1024)]
FORMS = ["nn", "nt", "tn"]


def median_seconds(fn, quick):
    """Median (wall, process CPU) seconds per call after warm-up."""
    warmup, min_reps, max_reps, target = (1, 2, 3, 0.2) if quick else (2, 5, 30, 1.0)
    for _ in range(warmup):
        fn()
    t = time.perf_counter()
    fn()
    first = time.perf_counter() - t
    reps = int(min(max_reps, max(min_reps, target / max(first, 1e-9))))
    times, cpu = [], []
    for _ in range(reps):
        c, t = time.process_time(), time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    return statistics.median(times), statistics.median(cpu)


def blas_info():
    try:
        import threadpoolctl
        for lib in threadpoolctl.threadpool_info():
            if lib.get("internal_api") == "openblas":
                return lib.get("architecture"), lib.get("num_threads")
    except ImportError:
        pass
    return "unknown", None


def measure(args):
    import numpy as np
    libs = args.libs.split(",")
    if "torch" in libs:
        import torch
        torch.set_num_threads(args.threads)
    try:
        import threadpoolctl
        threadpoolctl.threadpool_limits(limits=args.threads, user_api="blas")
    except ImportError:
        pass
    arch, blas_threads = blas_info()
    coretype = os.environ.get("OPENBLAS_CORETYPE", "(unset)")
    rng = np.random.default_rng(0)
    wanted = args.shapes.split(",") if args.shapes else None
    for m, k, n in SHAPES:
        if wanted and f"{m}x{k}x{n}" not in wanted:
            continue
        for form in FORMS:
            a = rng.standard_normal((k, m) if form[0] == "t" else (m, k), dtype=np.float32)
            b = rng.standard_normal((n, k) if form[1] == "t" else (k, n), dtype=np.float32)
            av = a.T if form[0] == "t" else a
            bv = b.T if form[1] == "t" else b
            c = np.empty((m, n), dtype=np.float32)
            for lib in libs:
                if lib == "numpy":
                    fn = lambda: np.matmul(av, bv, out=c)  # noqa: E731
                else:
                    ta, tb, tc = torch.from_numpy(av), torch.from_numpy(bv), torch.from_numpy(c)
                    fn = lambda: torch.mm(ta, tb, out=tc)  # noqa: E731
                sec, cpu = median_seconds(fn, args.quick)
                row = {"lib": lib, "m": m, "k": k, "n": n, "form": form, "threads": args.threads,
                       "gflops": round(2.0 * m * n * k / sec / 1e9, 1),
                       "gflops_per_cpu": round(2.0 * m * n * k / max(cpu, 1e-9) / 1e9, 1), "openblas_arch": arch,
                       "openblas_threads": blas_threads, "coretype": coretype}
                print(json.dumps(row), flush=True)
                print(f"  {lib:5s} {m}x{k}x{n} {form} t={args.threads} {row['gflops']:7.1f} GFLOP/s "
                      f"(OpenBLAS {arch}, CORETYPE {coretype})", file=sys.stderr, flush=True)


def table(args):
    vireo = []
    for path in args.vireo:
        with open(path) as f:
            vireo += json.load(f)["gemm"]
    peers = {}
    with open(args.peers) as f:
        for line in f:
            line = line.strip()
            if not line.startswith("{"):
                continue
            r = json.loads(line)
            key = (r["lib"], r["m"], r["k"], r["n"], r["form"], r["threads"])
            if key not in peers or r["gflops"] > peers[key]["gflops"]:
                peers[key] = r  # the peer at its best over the OPENBLAS_CORETYPE settings tried
    vireo.sort(key=lambda v: (SHAPES.index((v["m"], v["k"], v["n"])), FORMS.index(v["form"]), v["threads"]))
    print("Wall-clock GFLOP/s (medians); the last column is the ratio per CPU-second, which discounts")
    print("time lost to other tenants (meaningful at 1 thread; OpenBLAS threads spin, so not at 2).")
    print()
    print("| m×k×n | form | threads | Vireo | numpy | torch | Vireo/numpy | Vireo/torch | numpy kernel | Vireo/numpy per CPU-s |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    speedups = {}
    for v in vireo:
        key = (v["m"], v["k"], v["n"], v["form"], v["threads"])
        npy, tch = peers.get(("numpy",) + key), peers.get(("torch",) + key)
        ratio = lambda p: f"{v['gflops'] / p['gflops']:.2f}" if p else "-"  # noqa: E731
        gf = lambda p: f"{p['gflops']:.1f}" if p else "-"  # noqa: E731
        arch = f"{npy['openblas_arch']} ({npy['coretype']})" if npy else "-"
        per_cpu = f"{v['gflops_per_cpu'] / npy['gflops_per_cpu']:.2f}" if npy and "gflops_per_cpu" in v else "-"
        print(f"| {v['m']}×{v['k']}×{v['n']} | {v['form']} | {v['threads']} | {v['gflops']:.1f} | {gf(npy)} | "
              f"{gf(tch)} | {ratio(npy)} | {ratio(tch)} | {arch} | {per_cpu} |")
        speedups.setdefault(key[:4], {})[v["threads"]] = v["gflops"]
    print()
    print("| m×k×n | form | Vireo 2-thread speed-up |")
    print("|---|---|---|")
    for (m, k, n, form), s in speedups.items():
        if 1 in s and 2 in s:
            print(f"| {m}×{k}×{n} | {form} | {s[2] / s[1]:.2f} |")


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    m = sub.add_parser("measure")
    m.add_argument("--threads", type=int, required=True)
    m.add_argument("--libs", default="numpy,torch")
    m.add_argument("--shapes", default=None, help="only these MxKxN shapes, comma-separated")
    m.add_argument("--quick", action="store_true")
    t = sub.add_parser("table")
    t.add_argument("peers")
    t.add_argument("vireo", nargs="+")
    args = p.parse_args()
    measure(args) if args.cmd == "measure" else table(args)


if __name__ == "__main__":
    main()
