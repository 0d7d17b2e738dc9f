#!/usr/bin/env python3
"""Writes bench/src/main/resources/bench/minilm_sentences.txt: 320 English sentences of mixed length
(4 to 80 words, most short, as search queries and captions are), the input of `vireo bench minilm`
and of bench_minilm_ort.py. Deterministic (seed 17)."""
import os
import random

WORDS = ("a the of and to in is was for on that with as by at from this it an be are or which his her their "
         "photo picture image cat dog bird horse car truck bus train plane boat bicycle person man woman child "
         "people group street road city building house room kitchen table chair bed sofa window door garden "
         "tree flower grass field mountain river lake sea beach sky cloud sun snow rain night morning evening "
         "red blue green yellow black white brown small large old young happy running walking sitting standing "
         "playing eating holding wearing looking riding carrying near under over behind next front top side "
         "shirt shoes dress coat bag hat glasses phone computer book paper food pizza cake coffee cup plate "
         "ball game team field player sport water light shadow color wooden metal glass stone painted bright "
         "dark quiet busy crowded empty beautiful strange famous modern ancient natural electric digital "
         "research model language vision learning data network training results paper method show shows "
         "improve improves performance benchmark dataset evaluation accuracy zero-shot retrieval caption "
         "question answer about because while during after before between through without within across").split()


def main():
    rng = random.Random(17)
    out = []
    for i in range(320):
        n = min(80, max(4, int(rng.lognormvariate(2.7, 0.6))))
        words = [rng.choice(WORDS) for _ in range(n)]
        words[0] = words[0].capitalize()
        if rng.random() < 0.3:
            words.insert(rng.randrange(1, n), str(rng.randint(2, 2026)) + ",")
        out.append(" ".join(words) + rng.choice([".", ".", ".", "?", "!"]))
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src", "main", "resources", "bench", "minilm_sentences.txt")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(out) + "\n")
    print("wrote", len(out), "sentences; words min/median/max",
          min(len(s.split()) for s in out), sorted(len(s.split()) for s in out)[160], max(len(s.split()) for s in out))


if __name__ == "__main__":
    main()
