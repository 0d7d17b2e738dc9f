#!/usr/bin/env bash
# Vireo's `bench minilm` beside ONNX Runtime 1.30 (bench_minilm_ort.py) on the same ONNX file, the same
# 320 sentences (bench/src/main/resources/bench/minilm_sentences.txt) and 2 threads, interleaved round by
# round: sentence embeddings from strings to normalised vectors, batch-32 throughput and batch-1 latency.
# Then batch-1 latency once more with the two taking turns on blocks of eight sentences, milliseconds
# apart (compare_minilm_paired.py): the host's speed moves between minutes, so rounds a minute apart
# differ by more than the engines do, while a block's pair sees the same moment.
#
#   bench/peers/compare_minilm.sh          # ROUNDS=3 by default (~3.5 minutes)
#
# The peer's venv comes from ../shared/peers/venv.sh (onnxruntime, tokenizers; no download).
# Output: target/compare-minilm/{vireo,ort}-N.json, paired.json and a table on stdout.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROUNDS=${ROUNDS:-3}
OUT=target/compare-minilm
VENV=${VENV:-target/peers-venv}
mkdir -p "$OUT"
bash ../shared/peers/venv.sh "$VENV" >&2
bin/vireo data fetch minilm >&2
for round in $(seq 1 "$ROUNDS"); do
  echo "== round $round: Vireo (bin/vireo bench minilm)" >&2
  bin/vireo bench minilm --json 2> >(grep -v '^WARNING' >&2) > "$OUT/vireo-$round.json"
  echo "== round $round: ONNX Runtime" >&2
  OMP_NUM_THREADS=2 "$VENV/bin/python" bench/peers/bench_minilm_ort.py \
    --sentences bench/src/main/resources/bench/minilm_sentences.txt --threads 2 > "$OUT/ort-$round.json"
done
echo "== paired: Vireo and ONNX Runtime taking turns" >&2
OMP_NUM_THREADS=2 "$VENV/bin/python" bench/peers/compare_minilm_paired.py --threads 2 \
  2> >(grep -v '^WARNING' >&2) > "$OUT/paired.json"
python3 - "$OUT" "$ROUNDS" <<'PY'
import json, sys
out, rounds = sys.argv[1], int(sys.argv[2])
print("| round | work (2 threads) | Vireo | ONNX Runtime 1.30 | ratio |")
print("|---|---|---|---|---|")
for r in range(1, rounds + 1):
    v = json.load(open(f"{out}/vireo-{r}.json")); o = json.load(open(f"{out}/ort-{r}.json"))
    print(f"| {r} | batch 32, mixed lengths | {v['batch32_sentences_per_s']:.0f} sentences/s | {o['batch32_sentences_per_s']:.0f} sentences/s"
          f" | {v['batch32_sentences_per_s'] / o['batch32_sentences_per_s']:.2f} |")
    print(f"| {r} | batch 1, latency | {v['batch1_latency_ms']:.2f} ms | {o['batch1_latency_ms']:.2f} ms"
          f" | {o['batch1_latency_ms'] / v['batch1_latency_ms']:.2f} |")
p = json.load(open(f"{out}/paired.json"))
print(f"| paired | batch 1, latency, {p['blocks']} blocks of {p['block']} taking turns | {p['vireo_batch1_ms']:.2f} ms"
      f" | {p['ort_batch1_ms']:.2f} ms | {p['ort_over_vireo']:.2f} (blocks: median {p['block_ratio_median']:.2f},"
      f" p10 {p['block_ratio_p10']:.2f}, Vireo faster in {100 * p['vireo_faster_blocks']:.0f}%) |")
PY
