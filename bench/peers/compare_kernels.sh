#!/usr/bin/env bash
# Vireo's GEMM beside numpy (OpenBLAS) and torch, same shapes and forms, 1 and 2 threads, one run.
#
#   bench/peers/compare_kernels.sh            # full run (~5 minutes per OpenBLAS setting per round)
#   QUICK=1 bench/peers/compare_kernels.sh    # smoke run
#   LIBS=numpy ROUNDS=2 bench/peers/compare_kernels.sh
#
# The peers run with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset (the environment may pin
# OpenBLAS to AVX2). OpenBLAS 0.3.21 does not recognise every new CPU and then falls back to a
# generic SSE kernel ("Prescott"), so by default it is also run with its AVX-512 kernels forced
# (CORETYPES below) and the table keeps each peer at its best. Output: target/compare-kernels/.
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=/usr/bin/python3                   # Debian's python, where python3-numpy and python3-torch live
JAVA=${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
CORETYPES=${CORETYPES:-"unset SkylakeX Cooperlake"}
LIBS=${LIBS:-numpy,torch}
ROUNDS=${ROUNDS:-1}
QUICK=${QUICK:-}
OUT=target/compare-kernels
mkdir -p "$OUT"

if [[ ! -f bench/target/vireo-bench.jar ]]; then
  mvn -q -B -o package -pl bench -am -DskipTests
fi

SHAPES="3200x768x3072 4928x512x2048 3200x768x768 1024x1024x1024"
for round in $(seq 1 "$ROUNDS"); do
  : > "$OUT/peers-$round.jsonl"
  rm -f "$OUT"/vireo-"$round"-*.json
  # shape by shape and thread count by thread count, Vireo then the peers right after it, so a burst
  # of load from other tenants hits both sides of a ratio alike
  for threads in 1 2; do
    for shape in $SHAPES; do
      echo "== round $round: $shape, $threads thread(s): Vireo" >&2
      "$JAVA" --add-modules jdk.incubator.vector -Xms2g -Xmx2g -cp "bench/target/vireo-bench.jar:bench/target/lib/*" \
        dev.vireo.bench.KernelBenchReport --sections gemm --threads "$threads" --shapes "$shape" ${QUICK:+--quick} \
        2> >(grep -v '^WARNING' >&2) > "$OUT/vireo-$round-$threads-$shape.json"
      for ct in $CORETYPES; do
        echo "== round $round: $shape, $threads thread(s): peers, OPENBLAS_CORETYPE=$ct" >&2
        coretype=()
        [[ "$ct" != unset ]] && coretype=(OPENBLAS_CORETYPE="$ct")
        env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE "${coretype[@]}" \
          OMP_NUM_THREADS="$threads" OPENBLAS_NUM_THREADS="$threads" OMP_WAIT_POLICY=PASSIVE \
          "$PY" bench/peers/compare_kernels.py measure --threads "$threads" --shapes "$shape" --libs "$LIBS" \
          ${QUICK:+--quick} >> "$OUT/peers-$round.jsonl"
      done
    done
  done
  echo
  echo "## Round $round (GFLOP/s, medians)"
  "$PY" bench/peers/compare_kernels.py table "$OUT/peers-$round.jsonl" "$OUT"/vireo-"$round"-*.json | tee "$OUT/table-$round.md"
done
