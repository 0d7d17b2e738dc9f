#!/usr/bin/env bash
# Vireo's batched beam-search captioning (`bin/vireo bench caption`) beside transformers 5.18 + PyTorch 2.13
# (bench/peers/bench_caption_hf.py) on the same Hugging Face folder, interleaved round by round (the order
# swaps every round): BlipForConditionalGeneration.generate from pixel values to ids, 8 images x 3 beams,
# exactly 20 new tokens, float32, 2 threads; each process warms up once, then times TIMED batches.
#
#   bench/peers/compare_caption.sh          # ROUNDS=2, TIMED=2 by default (~5 minutes on a quiet machine)
#   ROUNDS=3 IMAGES=8 BEAMS=3 NEW_TOKENS=20 PEERS_VENV=/work/peers-venv bench/peers/compare_caption.sh
#   MODEL=target/tiny-caption CONFIG=tiny ROUNDS=1 bench/peers/compare_caption.sh    # a smoke run of the script (seconds)
#
# The folder (MODEL, default target/compare-caption/blip-base-random) is a random BLIP-base-sized captioner
# the peer script makes on the first run, without any download, and both sides load. The peer runs at its
# best setting on this machine (../shared/PEERS.md): tcmalloc, passive OpenMP, 2 threads, OPENBLAS_CORETYPE
# unset; BLIP has no SDPA attention in transformers 5.18, so eager is its only variant. Every run records the
# CPU other processes took meanwhile (foreign_cpu, in CPUs) and /proc/pressure/cpu goes to the log.
# Output: target/compare-caption/{vireo,hf}-N.json, pressure.log and a table on stdout: seconds per batch,
# the ratio (transformers' median / Vireo's), and whether the ids are identical.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROUNDS=${ROUNDS:-2}
TIMED=${TIMED:-2}
IMAGES=${IMAGES:-8}
BEAMS=${BEAMS:-3}
NEW_TOKENS=${NEW_TOKENS:-20}
OUT=target/compare-caption
MODEL=${MODEL:-$OUT/blip-base-random}
VENV=${PEERS_VENV:-target/peers-venv}
mkdir -p "$OUT"
[[ -x "$VENV/bin/python" ]] || ../shared/peers/venv.sh "$VENV" >&2

peer_env=(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OMP_NUM_THREADS=2 MKL_NUM_THREADS=2 OMP_WAIT_POLICY=PASSIVE
          LD_PRELOAD=libtcmalloc_minimal.so.4)
size=(--images "$IMAGES" --beams "$BEAMS" --max-new-tokens "$NEW_TOKENS" --rounds "$TIMED")
"${peer_env[@]}" "$VENV/bin/python" bench/peers/bench_caption_hf.py --model "$MODEL" --config "${CONFIG:-blip-base}" --make-only >&2
pressure() { echo "$(date -u +%T) $1: $(tr '\n' ' ' < /proc/pressure/cpu 2>/dev/null || echo unavailable)" >> "$OUT/pressure.log"; }
vireo() {
  echo "== round $round: Vireo (bin/vireo bench caption)" >&2
  pressure "round $round vireo"
  bin/vireo bench caption --model "$MODEL" "${size[@]}" --json 2> >(grep -v '^WARNING' >&2) > "$OUT/vireo-$round.json"
}
hf() {
  echo "== round $round: transformers + PyTorch" >&2
  pressure "round $round transformers"
  "${peer_env[@]}" "$VENV/bin/python" bench/peers/bench_caption_hf.py --model "$MODEL" "${size[@]}" --threads 2 \
    2> >(grep -v -E 'Loading weights|^\s*$' >&2) > "$OUT/hf-$round.json"
}
: > "$OUT/pressure.log"
for round in $(seq 1 "$ROUNDS"); do
  if (( round % 2 )); then vireo; hf; else hf; vireo; fi
done
pressure "end"

python3 - "$OUT" "$ROUNDS" <<'PY'
import json, subprocess, sys
out, rounds = sys.argv[1], int(sys.argv[2])
cpu = next((l.split(":", 1)[1].strip() for l in subprocess.run(["lscpu"], capture_output=True, text=True).stdout.splitlines()
            if l.startswith("Model name")), "?")
v1 = json.load(open(f"{out}/vireo-1.json"))
print(f"batched beam search: {v1['images']} images x {v1['beams']} beams, {v1['new_tokens']} new tokens, 2 threads, {cpu}")
print("| round | Vireo s/batch (median, best) | transformers + PyTorch s/batch | transformers / Vireo | ids identical | foreign CPU Vireo / peer | peak RSS Vireo / peer |")
print("|---|---|---|---|---|---|---|")
ratios, quiet, same = [], [], True
for r in range(1, rounds + 1):
    v = json.load(open(f"{out}/vireo-{r}.json")); h = json.load(open(f"{out}/hf-{r}.json"))
    ratio = h["median_s"] / v["median_s"]
    ratios.append(ratio)
    loads = [x if x is not None else float("nan") for x in (v["foreign_cpu"], h["foreign_cpu"])]
    if all(x <= 0.2 for x in loads):  # NaN compares false: an unknown load is not a quiet one
        quiet.append(ratio)
    identical = v["ids"] == h["ids"]
    same &= identical
    if not identical:
        for i, (a, b) in enumerate(zip(v["ids"], h["ids"])):
            if a != b:
                j = next((k for k, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
                print(f"round {r}: first difference in row {i} at position {j}: Vireo {a[j:j + 4]}, peer {b[j:j + 4]}", file=sys.stderr)
                break
    print(f"| {r} | {v['median_s']:.2f} ({v['min_s']:.2f}) | {h['median_s']:.2f} ({h['min_s']:.2f}) | {ratio:.2f} | "
          f"{'yes' if identical else 'NO'} ({v['ids_sha256'][:12]}) | {v['foreign_cpu']} / {h['foreign_cpu']} | "
          f"{v['peak_rss_mb']} / {h['peak_rss_mb']} MB |")
print(f"\ntransformers / Vireo per round: {', '.join(f'{x:.2f}' for x in ratios)}"
      f"{'; in the rounds no run shared (foreign CPU <= 0.2): ' + ', '.join(f'{x:.2f}' for x in quiet) if quiet else '; no round was quiet (foreign CPU > 0.2)'}; "
      f"ids identical in every round: {'yes' if same else 'NO'}; "
      f"peer: {json.load(open(f'{out}/hf-1.json'))['side']}; CPU pressure per run in {out}/pressure.log")
PY
