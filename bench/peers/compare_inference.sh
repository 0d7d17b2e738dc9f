#!/usr/bin/env bash
# Every CLIP peer beside Vireo's `bench clip` in one run, interleaved round by round: ViT-B/32 image and
# text encoding at batch 1 (latency), images at batch 32 and texts at batch 64 (throughput), the
# small-CLIP training step at batch 128 (samples/s, peak RSS), and `vireo embed` of one image from a
# fresh process against the same thing done by a Python ONNX Runtime script (bench/peers/ort_embed_cold.py).
#
#   bench/peers/compare_inference.sh          # ROUNDS=2 by default (~15 minutes on 2 cores)
#   ROUNDS=1 bench/peers/compare_inference.sh
#
# Peers, each at its best setting on this machine (../shared/PEERS.md): PyTorch 1.13 + OpenBLAS
# (Debian's python3-torch; tcmalloc, passive OpenMP, OPENBLAS_CORETYPE unset and forced to SkylakeX,
# since OpenBLAS 0.3.21 does not know every new Intel CPU and falls back to its SSE kernel; each row
# keeps the better of the two), and PyTorch 2.13 and
# ONNX Runtime 1.30 from the wheels the machine image carries (a venv made by ../shared/peers/venv.sh,
# without any download; PEERS_VENV names another). All with 2 threads. ONNX Runtime runs the same
# random-weight ViT-B/32 exported to ONNX by ../shared/peers/bench_clip_ort.py.
# Output: target/compare-inference/{vireo-N.json,peers-N.jsonl,ort-N.jsonl,ort-cold-N.txt} and a table on stdout.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROUNDS=${ROUNDS:-2}
CORETYPES=${CORETYPES:-"unset SkylakeX"}
OUT=target/compare-inference
PEERS=target/peers
VENV=${PEERS_VENV:-target/peers-venv}
ONNX=target/peers-onnx
IMAGE=models/src/test/resources/image/golden/clip224_gradient_small.png
mkdir -p "$OUT"
if [[ ! -d "$PEERS" ]]; then
  cp -r ../shared/peers "$PEERS"
  chmod -R u+w "$PEERS"
fi
[[ -x "$VENV/bin/python" ]] || ../shared/peers/venv.sh "$VENV" >&2
/usr/bin/python3 -c 'import torch' 2>/dev/null || { echo "compare_inference: python3-torch is missing; run $PEERS/setup.sh" >&2; exit 1; }
[[ -x /usr/bin/time ]] || { echo "compare_inference: GNU time (/usr/bin/time) is missing: apt-get install time" >&2; exit 1; }

peer_env=(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OMP_NUM_THREADS=2 OPENBLAS_NUM_THREADS=2 MKL_NUM_THREADS=2
          OMP_WAIT_POLICY=PASSIVE OPENBLAS_THREAD_TIMEOUT=4 LD_PRELOAD=libtcmalloc_minimal.so.4)
torch_peer() { # torch_peer PYTHON TAG CORETYPE SCRIPT ARGS...
  local py=$1 tag=$2 ct=$3 script=$4
  shift 4
  local pre=("${peer_env[@]}")
  [[ "$ct" != unset ]] && pre+=(OPENBLAS_CORETYPE="$ct")
  "${pre[@]}" "$py" "$PEERS/$script" --threads 2 --omp 2 --blas 2 --tag "$tag" --out "$OUT/peers-$round.jsonl" "$@" >&2
}

for round in $(seq 1 "$ROUNDS"); do
  : > "$OUT/peers-$round.jsonl"
  : > "$OUT/ort-$round.jsonl"
  echo "== round $round: Vireo (bin/vireo bench clip)" >&2
  bin/vireo bench clip --json 2> >(grep -v '^WARNING' >&2) > "$OUT/vireo-$round.json"
  echo "== round $round: ONNX Runtime" >&2
  "$VENV/bin/python" "$PEERS/bench_clip_ort.py" --threads 2 --parts image1,text1,image32,text64 --cache "$ONNX" \
    --out "$OUT/ort-$round.jsonl" 2>/dev/null >&2
  echo "== round $round: ONNX Runtime, one image from a fresh process" >&2
  : > "$OUT/ort-cold-$round.txt"
  for i in 0 1 2 3; do # the first untimed, as Vireo's
    /usr/bin/time -f "%e %M" -o "$OUT/time.txt" "$VENV/bin/python" bench/peers/ort_embed_cold.py \
      --model "$ONNX/clip_b32_image.onnx" --image "$IMAGE" > /dev/null
    [[ $i -gt 0 ]] && cat "$OUT/time.txt" >> "$OUT/ort-cold-$round.txt"
  done
  for ct in $CORETYPES; do
    echo "== round $round: PyTorch 1.13, OPENBLAS_CORETYPE=$ct" >&2
    torch_peer /usr/bin/python3 torch1.13 "$ct" bench_clip_infer.py --parts image1,text1,image32,text64
    torch_peer /usr/bin/python3 torch1.13 "$ct" bench_clip_train.py --batch 128 --warmup 1 --steps 4
  done
  echo "== round $round: PyTorch 2.13" >&2
  torch_peer "$VENV/bin/python" torch2.13 unset bench_clip_infer.py --parts image1,text1,image32,text64
  torch_peer "$VENV/bin/python" torch2.13 unset bench_clip_train.py --batch 128 --warmup 1 --steps 4
done

/usr/bin/python3 - "$OUT" "$ROUNDS" <<'EOF'
import json, statistics, sys
out, rounds = sys.argv[1], int(sys.argv[2])
print("| round | work (2 threads) | Vireo | PyTorch 1.13 | PyTorch 2.13 | ONNX Runtime 1.30 | Vireo / best peer |")
print("|---|---|---|---|---|---|---|")
for r in range(1, rounds + 1):
    v = json.load(open(f"{out}/vireo-{r}.json"))
    peers = [json.loads(l) for l in open(f"{out}/peers-{r}.jsonl") if '"result"' in l]
    ort = [json.loads(l) for l in open(f"{out}/ort-{r}.jsonl")]
    cold = [tuple(map(float, l.split())) for l in open(f"{out}/ort-cold-{r}.txt") if l.strip()]
    def best(values, lower):  # a peer's best setting (coretypes) for the row
        return (min(values) if lower else max(values)) if values else None
    def torch(tag, enc, batch, key):
        return best([p[key] for p in peers if p.get("tag") == tag and p.get("encoder") == enc and p.get("batch") == batch],
                    key == "ms_median")
    def train(tag, key):
        return best([p[key] for p in peers if p.get("tag") == tag and "samples_per_s" in p], key == "peak_rss_mb")
    def onnx(part, key):
        rows = [p for p in ort if p["part"] == part]
        return rows[0][key] if rows else None
    def row(work, vireo, t1, t2, o, lower_is_better, unit):
        peers_ = [x for x in (t1, t2, o) if x is not None]
        best = min(peers_) if lower_is_better else max(peers_)
        ratio = vireo / best
        fmt = lambda x: "—" if x is None else f"{x:.1f}{unit}"
        print(f"| {r} | {work} | {fmt(vireo)} | {fmt(t1)} | {fmt(t2)} | {fmt(o)} | {ratio:.2f}{' (lower is better)' if lower_is_better else ''} |")
    row("ViT-B/32 image, batch 1", v["image_b1_ms"], torch("torch1.13", "image", 1, "ms_median"), torch("torch2.13", "image", 1, "ms_median"), onnx("image1", "median_ms"), True, " ms")
    row("ViT-B/32 text, batch 1", v["text_b1_ms"], torch("torch1.13", "text", 1, "ms_median"), torch("torch2.13", "text", 1, "ms_median"), onnx("text1", "median_ms"), True, " ms")
    row("ViT-B/32 images, batch 32", v["image_per_s"], torch("torch1.13", "image", 32, "items_per_s"), torch("torch2.13", "image", 32, "items_per_s"), onnx("image32", "items_per_s"), False, "/s")
    row("ViT-B/32 texts, batch 64", v["text_per_s"], torch("torch1.13", "text", 64, "items_per_s"), torch("torch2.13", "text", 64, "items_per_s"), onnx("text64", "items_per_s"), False, "/s")
    row("small-CLIP training, batch 128", v["train_samples_per_s"], train("torch1.13", "samples_per_s"), train("torch2.13", "samples_per_s"), None, False, "/s")
    row("peak RSS of that training", v["train_peak_rss_mb"], train("torch1.13", "peak_rss_mb"), train("torch2.13", "peak_rss_mb"), None, True, " MB")
    if cold and v.get("embed_cold_ms") is not None:
        row("one image from a fresh process", v["embed_cold_ms"], None, None, 1e3 * statistics.median(c[0] for c in cold), True, " ms")
        if v.get("embed_cold_peak_rss_mb") is not None:
            row("peak RSS of that process", v["embed_cold_peak_rss_mb"], None, None, max(c[1] for c in cold) / 1024, True, " MB")
EOF
