"""Golden numbers for Vireo's BLEU-1..4, ROUGE-L and CIDEr-D (CaptionMetricsParityTest).

Writes cases.json (pre-tokenised captions: what the COCO scorers' compute_score takes, since the PTB
tokenizer step needs Java and Stanford CoreNLP) and reference.json (the scorers' corpus and per-image
numbers for three corpora: all cases, the first three, the first one alone; CIDEr-D's document
frequencies depend on the corpus).

Usage: python3 make_reference.py /path/to/pycocoevalcap   (a checkout of github:salaniz/pycocoevalcap,
commit ad63453; the folder holding bleu/, rouge/, cider/). Needs numpy. Nothing of it is committed here.
"""
import json
import os
import random
import sys

sys.path.insert(0, sys.argv[1])
from bleu.bleu import Bleu  # noqa: E402
from rouge.rouge import Rouge  # noqa: E402
from cider.cider import Cider  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))

CASES = [
    ("exact", ["a man riding a horse on a beach", "a person rides a horse near the ocean"], "a man riding a horse on a beach"),
    ("empty-candidate", ["a dog runs in the grass", "a brown dog running"], ""),
    ("longer-than-refs", ["a cat", "a small cat"], "a small cat is sitting on top of a wooden table next to a window"),
    ("repeated-ngrams", ["a dog and a dog", "two dogs playing"], "a a a a a a a a"),
    ("repeated-bigrams", ["the dog the dog the dog", "a dog"], "the dog the dog the dog the dog"),
    ("single-word", ["dog", "a dog"], "dog"),
    ("single-word-miss", ["a red bus", "a bus on the street"], "car"),
    ("punctuation-left-in", ["a dog . on a bed ,", "a dog on a bed"], "a dog , on a bed ."),
    ("one-ref", ["a plate of food with broccoli"], "a plate with broccoli and food"),
    ("two-refs", ["people walking down a street", "a crowd of people on a city street"], "a group of people walking on a street"),
    ("five-refs", ["a kitchen with a stove", "a kitchen with white cabinets", "an empty kitchen", "a clean kitchen with a sink and stove",
                   "kitchen"], "a kitchen with a sink"),
    ("seven-refs", ["a", "a b", "a b c", "a b c d", "a b c d e", "a b c d e f", "a b c d e f g"], "a b c d"),
    ("brevity-short", ["a young boy is flying a red kite in a park", "a boy flying a kite on a grassy field"], "a boy"),
    ("closest-tie", ["one two three four", "one two three four five six"], "one two three four five"),
    ("closest-tie-2", ["x y", "x y z w"], "x y z"),
    ("double-space", ["a dog on a couch", "a dog sleeping"], "a  dog on a couch"),
    ("lead-trail-space", ["a bird on a branch", "a small bird"], " a bird on a branch "),
    ("tab-and-nbsp", ["a tree in a field", "a lone tree"], "a\ttree in\u00a0a field"),
    ("unicode", ["un café au lait", "a café"], "café au lait"),
    ("no-overlap", ["a giraffe eating leaves", "tall giraffe"], "two zebras standing"),
    ("two-refs-joined", ["a train at a station", "a red train"], "a train at a station a red train"),
    ("duplicate-refs", ["a boat on the water", "a boat on the water", "a boat"], "a boat on the lake"),
    ("empty-ref", ["", "a clock on a tower"], "a clock tower"),
    ("numbers", ["2 dogs and 3 cats", "two dogs and three cats"], "2 dogs and three cats"),
    ("long-refs", ["a man in a blue shirt and black pants is standing next to a woman in a red dress holding an umbrella",
                   "two people standing under an umbrella"], "a man and a woman standing under an umbrella"),
]

rng = random.Random(19)
VOCAB = ["a", "the", "dog", "cat", "on", "in", "red", "man", "sits", "table", "of", "with"]
for i in range(8):
    refs = [" ".join(rng.choice(VOCAB) for _ in range(rng.randint(1, 12))) for _ in range(rng.randint(1, 6))]
    cand = " ".join(rng.choice(VOCAB) for _ in range(rng.randint(1, 14)))
    CASES.append(("random-%d" % i, refs, cand))


def score(cases):
    gts = {cid: list(refs) for cid, refs, _ in cases}
    res = {cid: [cand] for cid, _, cand in cases}
    bleu, bleu_per = Bleu(4).compute_score(gts, res, verbose=0)
    rouge, rouge_per = Rouge().compute_score(gts, res)
    cider, cider_per = Cider().compute_score(gts, res)
    corpus = {"Bleu_%d" % (k + 1): float(bleu[k]) for k in range(4)}
    corpus["ROUGE_L"] = float(rouge)
    corpus["CIDEr"] = float(cider)
    per_image = {}
    for i, (cid, _, _) in enumerate(cases):
        row = {"Bleu_%d" % (k + 1): float(bleu_per[k][i]) for k in range(4)}
        row["ROUGE_L"] = float(rouge_per[i])
        row["CIDEr"] = float(cider_per[i])
        per_image[cid] = row
    return {"ids": [c[0] for c in cases], "corpus": corpus, "per_image": per_image}


with open(os.path.join(HERE, "cases.json"), "w", encoding="utf-8") as f:
    json.dump([{"id": c, "refs": r, "candidate": s} for c, r, s in CASES], f, indent=1, ensure_ascii=False)
    f.write("\n")
with open(os.path.join(HERE, "reference.json"), "w", encoding="utf-8") as f:
    json.dump({"source": "salaniz/pycocoevalcap ad63453 (Bleu(4) closest, Rouge beta 1.2, Cider n=4 sigma=6)",
               "corpora": [score(CASES), score(CASES[:3]), score(CASES[:1])]}, f, indent=1, ensure_ascii=False)
    f.write("\n")
print("wrote", len(CASES), "cases")
