#!/usr/bin/env python3
"""Batch-1 sentence latency, Vireo and ONNX Runtime 1.30 taking turns within seconds: paired blocks.

compare_minilm.sh runs each peer as its own process, a minute apart, and on the shared hosts we run on
the speed of a core moves by a third between minutes: a round's ratio says as much about the minute as
about the engines. Here `vireo bench minilm --serve` (MiniLmLatencyServer) stays up beside ONNX
Runtime in this process, and the two take turns on blocks of the same sentences: each block is
`--block` sentences, one at a time, timed from string to normalised vector by the engine's own process
(Vireo's in the JVM, ORT's here, exactly as bench_minilm_ort.py times it); `--gap-ms` of idle before
each turn lets the other engine's spinning threads go to sleep, and untimed sentences for
`--turn-warmup-ms` then bring the engine back to speed (after an idle gap ONNX Runtime's first calls
run slower: timed after one untimed call it measured 13-18% slower than back to back in
bench_minilm_ort.py, after eight within 4%); who goes first alternates. A block's ratio is ORT's
median over Vireo's, measured a few milliseconds apart on the same sentences.

  target/peers-venv/bin/python bench/peers/compare_minilm_paired.py [--reps 5] [--block 8]

Both engines warm up one sentence at a time for `--warmup-seconds` (10 by default: with singles only,
the JIT reaches its steady state after 8-10 s) before anything is timed. Prints one JSON line.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_minilm_ort import load_embedder  # noqa: E402  (the same ORT setup as the unpaired bench)

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SENTENCES = os.path.join(ROOT, "bench", "src", "main", "resources", "bench", "minilm_sentences.txt")


class VireoServer:
    """`vireo bench minilm --serve` as a child process: indices in, milliseconds out."""

    def __init__(self, command, expected_sentences):
        self.proc = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1)
        ready = self._reply()
        if not ready.get("ready") or ready.get("sentences") != expected_sentences:
            raise SystemExit(f"compare_minilm_paired: vireo answered {ready}, expected ready with {expected_sentences} sentences")

    def _reply(self):
        line = self.proc.stdout.readline()
        if not line:
            raise SystemExit(f"compare_minilm_paired: vireo ended (exit code {self.proc.wait()})")
        return json.loads(line)

    def time(self, indices):
        self.proc.stdin.write(" ".join(map(str, indices)) + "\n")
        self.proc.stdin.flush()
        reply = self._reply()
        if "error" in reply:
            raise SystemExit("compare_minilm_paired: vireo refused a request: " + reply["error"])
        return reply["ms"]

    def close(self):
        self.proc.stdin.close()
        self.proc.wait(timeout=60)


def ort_times(embed, sentences, indices):
    times = []
    for i in indices:
        t0 = time.perf_counter()
        embed([sentences[i]])
        times.append(1000 * (time.perf_counter() - t0))
    return times


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--vireo", default=os.path.join(ROOT, "bin", "vireo"), help="the vireo launcher")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--reps", type=int, default=5, help="passes over the latency sentences")
    ap.add_argument("--latency-sentences", type=int, default=64, help="the first N sentences, as bench minilm times")
    ap.add_argument("--block", type=int, default=8, help="sentences per turn")
    ap.add_argument("--gap-ms", type=float, default=30, help="idle time before each turn")
    ap.add_argument("--turn-warmup-ms", type=float, default=30,
                    help="untimed sentences at the start of each turn, for at least this long")
    ap.add_argument("--warmup-seconds", type=float, default=10)
    a = ap.parse_args()
    sentences = [l.rstrip("\n") for l in open(SENTENCES, encoding="utf-8") if l.strip()]
    singles = list(range(min(a.latency_sentences, len(sentences))))
    blocks = [singles[i:i + a.block] for i in range(0, len(singles), a.block)]

    embed = load_embedder(a.threads)
    vireo = VireoServer([a.vireo, "bench", "minilm", "--serve"], len(sentences))
    turns = {"vireo": vireo.time, "ort": lambda ix: ort_times(embed, sentences, ix)}
    try:
        for run in turns.values():
            end = time.perf_counter() + a.warmup_seconds
            while time.perf_counter() < end:
                for b in blocks:
                    run(b)
        pairs, all_times = [], {"vireo": [], "ort": []}
        for rep in range(a.reps):
            for n, b in enumerate(blocks):
                order = ("vireo", "ort") if (rep * len(blocks) + n) % 2 == 0 else ("ort", "vireo")
                medians = {}
                for engine in order:
                    time.sleep(a.gap_ms / 1000)
                    warm_end = time.perf_counter() + a.turn_warmup_ms / 1000
                    for i in range(len(singles)):  # untimed, until the engine is back at speed
                        turns[engine]([singles[i]])
                        if time.perf_counter() >= warm_end:
                            break
                    times = turns[engine](b)
                    all_times[engine] += times
                    medians[engine] = statistics.median(times)
                pairs.append(medians["ort"] / medians["vireo"])
    finally:
        vireo.close()
    vireo_ms, ort_ms = statistics.median(all_times["vireo"]), statistics.median(all_times["ort"])
    print(json.dumps({
        "threads": a.threads, "block": a.block, "blocks": len(pairs),
        "vireo_batch1_ms": vireo_ms, "ort_batch1_ms": ort_ms, "ort_over_vireo": ort_ms / vireo_ms,
        "block_ratio_median": statistics.median(pairs),
        "block_ratio_p10": sorted(pairs)[len(pairs) // 10], "block_ratio_p90": sorted(pairs)[len(pairs) * 9 // 10],
        "vireo_faster_blocks": sum(r >= 1 for r in pairs) / len(pairs)}))


if __name__ == "__main__":
    main()
