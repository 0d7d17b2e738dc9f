#!/usr/bin/env bash
# Vireo's vision-language pretraining step (`bin/vireo bench vl`: vl-mid, ITC + ITM + MLM, AdamW, batch 64
# of 48-px shapes) beside the same model and step in PyTorch (bench/peers/vl_train_step.py), interleaved
# round by round. Each round runs Vireo first and passes the shapes it reports (vocabulary size, the mean
# padded caption length T, the mean caption length) to the peers, then Vireo again: a round's figure for a
# peer is its best run (two OpenBLAS core types, four PyTorch 2.13 variants), Vireo's the better of its two.
#
#   bench/peers/compare_vl.sh                 # ROUNDS=2 by default (~10 minutes on 2 cores, more on the first run:
#                                             # torch.compile fills its cache)
#   ROUNDS=1 TORCH2_VARIANTS="eager+manual" bench/peers/compare_vl.sh
#
# Peers, each at its best setting on this machine (../shared/PEERS.md): PyTorch 1.13 + OpenBLAS (Debian's
# python3-torch; tcmalloc, passive OpenMP, OPENBLAS_CORETYPE unset and forced to SkylakeX, the better of
# the two kept), eager with written-out attention (it has neither torch.compile nor scaled_dot_product_attention);
# PyTorch 2.13 from the wheels the machine image carries (a venv made by ../shared/peers/venv.sh without
# any download; PEERS_VENV names another) in every variant of TORCH2_VARIANTS (eager or compile = inductor,
# manual or sdpa attention), the best kept. All with 2 threads.
# Output: target/compare-vl/{vireo-N.json,peers-N.jsonl} and a table on stdout.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROUNDS=${ROUNDS:-2}
CORETYPES=${CORETYPES:-"unset SkylakeX"}
TORCH2_VARIANTS=${TORCH2_VARIANTS:-"eager+manual eager+sdpa compile+manual compile+sdpa"}
OUT=target/compare-vl
VENV=${PEERS_VENV:-target/peers-venv}
mkdir -p "$OUT"
[[ -x "$VENV/bin/python" ]] || ../shared/peers/venv.sh "$VENV" >&2
/usr/bin/python3 -c 'import torch' 2>/dev/null || { echo "compare_vl: python3-torch is missing; run ../shared/peers/setup.sh" >&2; exit 1; }

peer_env=(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OMP_NUM_THREADS=2 OPENBLAS_NUM_THREADS=2 MKL_NUM_THREADS=2
          OMP_WAIT_POLICY=PASSIVE OPENBLAS_THREAD_TIMEOUT=4 LD_PRELOAD=libtcmalloc_minimal.so.4)
peer() { # peer PYTHON TAG CORETYPE VARIANT
  local py=$1 tag=$2 ct=$3 variant=$4
  local pre=("${peer_env[@]}") args=(--attention "${variant#*+}")
  [[ "$ct" != unset ]] && pre+=(OPENBLAS_CORETYPE="$ct")
  [[ "${variant%+*}" == compile ]] && args+=(--compile)
  "${pre[@]}" "$py" bench/peers/vl_train_step.py --threads 2 --batch "$batch" --length "$length" --caption-mean "$caption" \
    --vocab "$vocab" --steps "$steps" --warmup "$warmup" --tag "$tag" --out "$OUT/peers-$round.jsonl" "${args[@]}" >&2
}
field() { /usr/bin/python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$@"; }

for round in $(seq 1 "$ROUNDS"); do
  : > "$OUT/peers-$round.jsonl"
  echo "== round $round: Vireo (bin/vireo bench vl)" >&2
  bin/vireo bench vl --json 2> >(grep -v '^WARNING' >&2) > "$OUT/vireo-$round.json"
  batch=$(field "$OUT/vireo-$round.json" batch)
  vocab=$(field "$OUT/vireo-$round.json" vocab_size)
  length=$(/usr/bin/python3 -c 'import json, sys; print(round(json.load(open(sys.argv[1]))["text_length_mean"]))' "$OUT/vireo-$round.json")
  caption=$(field "$OUT/vireo-$round.json" caption_length_mean)
  steps=$(field "$OUT/vireo-$round.json" timed_steps)
  warmup=$(field "$OUT/vireo-$round.json" warmup_steps)
  for ct in $CORETYPES; do
    echo "== round $round: PyTorch 1.13, OPENBLAS_CORETYPE=$ct (B=$batch T=$length V=$vocab)" >&2
    peer /usr/bin/python3 torch1.13 "$ct" eager+manual
  done
  for variant in $TORCH2_VARIANTS; do
    echo "== round $round: PyTorch 2.13, $variant" >&2
    peer "$VENV/bin/python" torch2.13 unset "$variant" || echo "compare_vl: PyTorch 2.13 $variant failed; left out" >&2
  done
  # Vireo again after the peers: the peers' best is the best of several runs (two core types, four variants), so
  # Vireo's is the better of two, one on each side of them in time
  echo "== round $round: Vireo again (bin/vireo bench vl)" >&2
  bin/vireo bench vl --json 2> >(grep -v '^WARNING' >&2) > "$OUT/vireo-$round-after.json"
done

/usr/bin/python3 - "$OUT" "$ROUNDS" <<'EOF'
import json, subprocess, sys
out, rounds = sys.argv[1], int(sys.argv[2])
cpu = next((l.split(":", 1)[1].strip() for l in subprocess.run(["lscpu"], capture_output=True, text=True).stdout.splitlines()
            if l.startswith("Model name")), "?")
print(f"vl-mid pretraining step (ITC + ITM + MLM, AdamW), 2 threads, {cpu}")
print("| round | Vireo samples/s (the better of two runs) | PyTorch 1.13 | PyTorch 2.13 (best variant) | Vireo / best peer | peak RSS Vireo / 1.13 / 2.13 | foreign CPU Vireo / 1.13 / 2.13 |")
print("|---|---|---|---|---|---|---|")
ratios, quiet = [], []
for r in range(1, rounds + 1):
    runs = [json.load(open(f"{out}/vireo-{r}{part}.json")) for part in ("", "-after")]
    v = max(runs, key=lambda x: x["samples_per_s"])
    peers = [json.loads(l) for l in open(f"{out}/peers-{r}.jsonl") if '"result"' in l]
    def best(tag):
        rows = [p for p in peers if p["tag"] == tag]
        return max(rows, key=lambda p: p["samples_per_s"]) if rows else None
    t1, t2 = best("torch1.13"), best("torch2.13")
    top = max((p["samples_per_s"] for p in (t1, t2) if p), default=float("nan"))
    ratio = v["samples_per_s"] / top
    ratios.append(ratio)
    loads = [v.get("foreign_cpu", float("nan"))] + [p.get("foreign_cpu", float("nan")) for p in (t1, t2) if p]
    if all(x <= 0.2 for x in loads):  # NaN compares false: an unknown load is not a quiet one
        quiet.append(ratio)
    fmt = lambda p, extra="": "—" if p is None else f"{p['samples_per_s']:.0f}{extra}"
    rss = lambda p: "—" if p is None else f"{p['peak_rss_mb']}"
    coretype = (t1 or {}).get("OPENBLAS_CORETYPE", "(unset)").strip("()")
    both = " / ".join(f"{x['samples_per_s']:.0f}" for x in runs)
    print(f"| {r} | {v['samples_per_s']:.0f} (before / after the peers: {both}) | {fmt(t1, ' (OPENBLAS_CORETYPE ' + coretype + ')')} | "
          f"{fmt(t2, ' (' + (t2 or {}).get('variant', '') + ')')} | {ratio:.2f} | {v['peak_rss_mb']} / {rss(t1)} / {rss(t2)} MB | "
          f"{' / '.join(f'{x:.2f}' for x in loads)} |")
print(f"\nVireo / best peer per round: {', '.join(f'{x:.2f}' for x in ratios)}"
      f"{'; in the rounds no run shared (foreign CPU <= 0.2): ' + ', '.join(f'{x:.2f}' for x in quiet) if quiet else ''}; "
      f"shapes: B={v['batch']}, T={round(v['text_length_mean'])}, V={v['vocab_size']}; every peer row in {out}/peers-N.jsonl")
EOF
