#!/usr/bin/env bash
# Vireo's `bench clip` beside PyTorch 1.13 on the same three workloads, interleaved in one run:
# ViT-B/32 image encoding (batch 32), text encoding (batch 64), a small-CLIP training step (batch 128).
#
#   bench/peers/compare_clip.sh            # ROUNDS=2 by default (~8 minutes)
#   ROUNDS=1 bench/peers/compare_clip.sh
#
# The PyTorch scripts are those of ../shared/peers (copied to target/peers; the folder is read-only in
# CI), run at their best setting on this machine: tcmalloc, OMP_WAIT_POLICY=PASSIVE, 2 OpenMP and
# 2 OpenBLAS threads, with OPENBLAS_CORETYPE unset and forced to SkylakeX (OpenBLAS 0.3.21 does not know
# every new Intel CPU and falls back to its SSE kernel); the table keeps the peer's best.
# Output: target/compare-clip/{vireo-N.json,peers-N.jsonl} and a table on stdout.
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=/usr/bin/python3
ROUNDS=${ROUNDS:-2}
CORETYPES=${CORETYPES:-"unset SkylakeX"}
OUT=target/compare-clip
PEERS=target/peers
mkdir -p "$OUT"
if [[ ! -d "$PEERS" ]]; then
  cp -r ../shared/peers "$PEERS"
  chmod -R u+w "$PEERS"
fi
"$PY" -c 'import torch' 2>/dev/null || { echo "compare_clip: python3-torch is missing; run $PEERS/setup.sh" >&2; exit 1; }

peer() { # peer CORETYPE SCRIPT ARGS...
  local ct=$1 script=$2
  shift 2
  local pre=(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OMP_NUM_THREADS=2 OPENBLAS_NUM_THREADS=2
             OMP_WAIT_POLICY=PASSIVE OPENBLAS_THREAD_TIMEOUT=4 LD_PRELOAD=libtcmalloc_minimal.so.4)
  [[ "$ct" != unset ]] && pre+=(OPENBLAS_CORETYPE="$ct")
  "${pre[@]}" "$PY" "$PEERS/$script" --threads 2 --omp 2 --blas 2 --tag "coretype=$ct" --out "$OUT/peers-$round.jsonl" "$@" >&2
}

for round in $(seq 1 "$ROUNDS"); do
  : > "$OUT/peers-$round.jsonl"
  echo "== round $round: Vireo (bin/vireo bench clip)" >&2
  bin/vireo bench clip --json 2> >(grep -v '^WARNING' >&2) > "$OUT/vireo-$round.json"
  for ct in $CORETYPES; do
    echo "== round $round: PyTorch, OPENBLAS_CORETYPE=$ct" >&2
    peer "$ct" bench_clip_infer.py --parts image32,text64
    peer "$ct" bench_clip_train.py --batch 128 --warmup 1 --steps 4
  done
done

"$PY" - "$OUT" "$ROUNDS" <<'EOF'
import json, sys
out, rounds = sys.argv[1], int(sys.argv[2])
print("| round | work (2 threads) | Vireo | PyTorch 1.13 (best setting) | ratio |")
print("|---|---|---|---|---|")
for r in range(1, rounds + 1):
    v = json.load(open(f"{out}/vireo-{r}.json"))
    peers = [json.loads(l) for l in open(f"{out}/peers-{r}.jsonl") if '"result"' in l]
    img = max(p["items_per_s"] for p in peers if p.get("encoder") == "image" and p.get("batch") == 32)
    txt = max(p["items_per_s"] for p in peers if p.get("encoder") == "text" and p.get("batch") == 64)
    train = [p for p in peers if "samples_per_s" in p]
    best = max(train, key=lambda p: p["samples_per_s"])
    rss = min(p["peak_rss_mb"] for p in train)
    print(f"| {r} | ViT-B/32 images, batch 32 | {v['image_per_s']:.1f}/s | {img:.1f}/s | {v['image_per_s'] / img:.2f} |")
    print(f"| {r} | ViT-B/32 texts, batch 64 | {v['text_per_s']:.1f}/s | {txt:.1f}/s | {v['text_per_s'] / txt:.2f} |")
    print(f"| {r} | small-CLIP training, batch 128 | {v['train_samples_per_s']:.1f} samples/s | {best['samples_per_s']:.1f} samples/s | {v['train_samples_per_s'] / best['samples_per_s']:.2f} |")
    print(f"| {r} | peak RSS of that training | {v['train_peak_rss_mb']} MB (heap ceiling {v['train_jvm_max_heap_mb']} MB) | {rss} MB | {v['train_peak_rss_mb'] / rss:.2f} |")
EOF
