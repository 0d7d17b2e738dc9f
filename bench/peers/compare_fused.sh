#!/usr/bin/env bash
# Vireo's fused attention and InfoNCE (`bin/vireo bench kernels --sections attention,infonce`) beside
# PyTorch 1.13 on the same shapes, 1 and 2 threads, in one run: attention forward+backward
# (attention_fwd_bwd.py here) and the symmetric InfoNCE loss with its backward (../shared/peers'
# bench_infonce.py, N=4096, d=512). The peers run with tcmalloc, OMP_WAIT_POLICY=PASSIVE and
# OpenBLAS's AVX-512 kernel forced (their best setting here). Prints a table of ratios.
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=/usr/bin/python3
OUT=target/compare-fused
PEERS=target/peers
mkdir -p "$OUT"
[[ -d "$PEERS" ]] || { cp -r ../shared/peers "$PEERS"; chmod -R u+w "$PEERS"; }
"$PY" -c 'import torch' 2>/dev/null || { echo "compare_fused: python3-torch is missing; run $PEERS/setup.sh" >&2; exit 1; }
bin/vireo bench kernels --json --sections attention,infonce 2> >(grep -v '^WARNING' >&2) > "$OUT/vireo.json"
: > "$OUT/torch-attention.jsonl"
rm -f "$OUT/torch-infonce.jsonl"
for t in 1 2; do
  env -u OPENBLAS_L2_SIZE OPENBLAS_CORETYPE=SkylakeX OMP_NUM_THREADS=$t OPENBLAS_NUM_THREADS=$t OMP_WAIT_POLICY=PASSIVE \
    LD_PRELOAD=libtcmalloc_minimal.so.4 "$PY" bench/peers/attention_fwd_bwd.py $t >> "$OUT/torch-attention.jsonl"
  env -u OPENBLAS_L2_SIZE OPENBLAS_CORETYPE=SkylakeX OMP_NUM_THREADS=$t OPENBLAS_NUM_THREADS=$t OMP_WAIT_POLICY=PASSIVE \
    LD_PRELOAD=libtcmalloc_minimal.so.4 "$PY" "$PEERS/bench_infonce.py" --threads $t --omp $t --blas $t --out "$OUT/torch-infonce.jsonl" >&2
done
"$PY" - "$OUT" <<'PYEOF'
import json, sys
out = sys.argv[1]
v = json.load(open(f"{out}/vireo.json"))
att = [json.loads(l) for l in open(f"{out}/torch-attention.jsonl")]
inf = [json.loads(l) for l in open(f"{out}/torch-infonce.jsonl") if '"result"' in l]
print("| kernel | shape | threads | Vireo ms | PyTorch ms | PyTorch/Vireo |")
print("|---|---|---|---|---|---|")
for a in v["attention"]:
    p = next(x for x in att if (x["t"], x["threads"]) == (a["t"], a["threads"]))
    shape = f"B{a['b']} H{a['h']} T{a['t']} D{a['d']}{' causal' if a['causal'] else ''}"
    print(f"| attention fwd+bwd | {shape} | {a['threads']} | {a['fwd_bwd_ms']:.1f} | {p['fwd_bwd_ms']:.1f} | {p['fwd_bwd_ms'] / a['fwd_bwd_ms']:.2f} |")
for a in v["infonce"]:
    ps = [x for x in inf if x.get("N") == a["n"] and x.get("d") == a["d"] and x.get("threads") == a["threads"] and x.get("pass") == "fwd+bwd"]
    ms = ps[-1]["ms_median"] if ps else float("nan")
    print(f"| InfoNCE fwd+bwd | N{a['n']} d{a['d']} | {a['threads']} | {a['fwd_bwd_ms']:.1f} | {ms:.1f} | {ms / a['fwd_bwd_ms']:.2f} |")
PYEOF
