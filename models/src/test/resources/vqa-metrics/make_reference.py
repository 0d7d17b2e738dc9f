"""Golden numbers for Vireo's VQA accuracy (VqaAccuracyParityTest, the vireo score vqa tests).

Writes cases.json ([{"id", "answers": ten strings, "prediction"}]), the same cases as VQA v2 files
(questions.json, annotations.json, results.json), and reference.json: the official evaluation's
per-question accuracy (avgGTAcc, 0..1, before its rounding) and its overall percent (rounded to two
decimals), for all cases and for the first five.

Usage: python3 make_reference.py /path/to/VQA   (a checkout of github:GT-Vision-Lab/VQA, the folder
holding PythonHelperTools/ and PythonEvaluationTools/). Its code is Python 2; this script turns its
print statements into calls and expands its tabs as Python 2 reads them, in memory, and runs it
under Python 3 unchanged otherwise. Nothing of it is committed here.
"""
import json
import os
import random
import re
import sys
import types

HERE = os.path.dirname(os.path.abspath(__file__))


def load_py2(path, name):
    with open(path, encoding="utf-8") as f:
        src = f.read().expandtabs(8)
    src = re.sub(r"^(\s*)print (.*)$", r"\1print(\2)", src, flags=re.M)
    module = types.ModuleType(name)
    exec(compile(src, path, "exec"), module.__dict__)
    return module


vqa_tools = load_py2(os.path.join(sys.argv[1], "PythonHelperTools/vqaTools/vqa.py"), "vqa")
vqa_eval = load_py2(os.path.join(sys.argv[1], "PythonEvaluationTools/vqaEvaluation/vqaEval.py"), "vqaEval")

CASES = [
    ("all-agree-exact", ["yes"] * 10, "yes"),
    ("all-agree-case", ["yes"] * 10, "Yes"),
    ("all-agree-period", ["yes"] * 10, "yes."),
    ("all-agree-number-word", ["2"] * 10, "two"),
    ("all-agree-after-strip", ["yes"] * 9 + [" yes\n"], "Yes"),
    ("mixed-case-answers", ["Yes"] * 5 + ["yes"] * 5, "YES"),
    ("yes-no-split", ["yes"] * 6 + ["no"] * 4, "no"),
    ("one-match", ["red"] + ["blue"] * 9, "red"),
    ("two-matches", ["red"] * 2 + ["blue"] * 8, "red"),
    ("three-matches", ["red"] * 3 + ["blue"] * 7, "red"),
    ("four-matches", ["red"] * 4 + ["blue"] * 6, "red"),
    ("number-word", ["two"] * 3 + ["2"] * 3 + ["3"] * 4, "2"),
    ("none-is-zero", ["none"] * 4 + ["0"] * 2 + ["1"] * 4, "0"),
    ("ten", ["10"] * 5 + ["ten"] * 5, "ten"),
    ("articles", ["a dog"] * 3 + ["the dog"] * 2 + ["dog"] * 5, "an dog"),
    ("article-only", ["the"] * 2 + ["a"] * 2 + ["yes"] * 6, ""),
    ("contraction-dont", ["don't"] * 5 + ["no"] * 5, "dont"),
    ("contraction-cant", ["cant"] * 5 + ["no"] * 5, "can't"),
    ("contraction-capital", ["Im"] * 5 + ["i'm"] * 5, "im"),
    ("decimal", ["2.5"] * 4 + ["2"] * 6, "2.5"),
    ("decimal-trailing-period", ["2.5"] * 4 + ["3"] * 6, "2.5."),
    ("period-words", ["dr. pepper"] * 3 + ["dr pepper"] * 3 + ["coke"] * 4, "dr pepper"),
    ("many-periods", ["a" + "." * 40] * 5 + ["b"] * 5, "a" + "." * 40),
    ("many-periods-2", ["x" + "." * 33] * 5 + ["y"] * 5, "x."),
    ("comma-number", ["1,000"] * 5 + ["1000"] * 5, "1000"),
    ("comma-space", ["red, white"] * 5 + ["red white"] * 5, "red white"),
    ("comma-nospace", ["red,white"] * 5 + ["blue"] * 5, "red white"),
    ("hyphen", ["t-shirt"] * 5 + ["shirt"] * 5, "t shirt"),
    ("hyphen-spaced", ["t - shirt"] * 5 + ["shirt"] * 5, "tshirt"),
    ("slash", ["black/white"] * 5 + ["gray"] * 5, "black white"),
    ("punct-mix", ["(yes)!"] * 3 + ["yes?"] * 3 + ["no"] * 4, "yes"),
    ("quotes", ['"stop"'] * 4 + ["stop"] * 6, "stop"),
    ("apostrophe-kept", ["man's"] * 4 + ["mans"] * 6, "man's"),
    ("colon-kept", ["10:30"] * 5 + ["1030"] * 5, "10:30"),
    ("whitespace-pred", ["cat"] * 3 + ["dog"] * 7, "\tcat \n"),
    ("inner-spaces", ["hot dog"] * 5 + ["sandwich"] * 5, "hot   dog"),
    ("unicode", ["café"] * 4 + ["cafe"] * 6, "CAFÉ"),
    ("empty-prediction", ["yes"] * 5 + ["no"] * 5, ""),
    ("no-match", ["left"] * 5 + ["right"] * 5, "up"),
    ("at-sign", ["@home"] * 5 + ["home"] * 5, "home"),
    ("underscore-plus", ["a_b"] * 3 + ["a+b"] * 3 + ["ab"] * 4, "a b"),
]

rng = random.Random(19)
POOL = ["yes", "no", "2", "two", "the dog", "dog", "red", "Red.", "t-shirt", "3"]
for i in range(6):
    answers = [rng.choice(POOL) for _ in range(10)]
    CASES.append(("random-%d" % i, answers, rng.choice(POOL)))

IDS = {cid: 1000 + i for i, (cid, _, _) in enumerate(CASES)}


def write(name, value):
    with open(os.path.join(HERE, name), "w", encoding="utf-8") as f:
        json.dump(value, f, indent=1, ensure_ascii=False)
        f.write("\n")


write("cases.json", [{"id": c, "answers": a, "prediction": p} for c, a, p in CASES])
header = {"info": {"description": "Vireo VQA metric cases"}, "license": {"name": "test"}, "data_subtype": "val2014",
          "data_type": "mscoco", "task_type": "Open-Ended"}
write("questions.json", dict(header, questions=[
    {"image_id": 500 + i % 7, "question": "question %s?" % c, "question_id": IDS[c]} for i, (c, _, _) in enumerate(CASES)]))
write("annotations.json", dict(header, annotations=[
    {"question_type": "what is" if i % 2 else "is the", "multiple_choice_answer": a[0], "image_id": 500 + i % 7,
     "answer_type": "other" if i % 3 else "yes/no", "question_id": IDS[c],
     "answers": [{"answer": x, "answer_confidence": "yes", "answer_id": k + 1} for k, x in enumerate(a)]}
    for i, (c, a, _) in enumerate(CASES)]))
write("results.json", [{"question_id": IDS[c], "answer": p} for c, _, p in CASES])


def evaluate(question_ids):
    vqa = vqa_tools.VQA(os.path.join(HERE, "annotations.json"), os.path.join(HERE, "questions.json"))
    res = vqa.loadRes(os.path.join(HERE, "results.json"), os.path.join(HERE, "questions.json"))
    ev = vqa_eval.VQAEval(vqa, res, n=2)
    per_question = {}
    ev.setEvalQA = lambda qid, acc: per_question.__setitem__(qid, acc)
    ev.evaluate(question_ids)
    by_qid = {v: k for k, v in IDS.items()}
    return {"ids": [by_qid[q] for q in question_ids], "overall": ev.accuracy["overall"],
            "per_question": {by_qid[q]: per_question[q] for q in question_ids}}


all_ids = [IDS[c] for c, _, _ in CASES]
write("reference.json", {"source": "GT-Vision-Lab/VQA vqaEval.py (n=2), run under Python %d.%d" % sys.version_info[:2],
                         "question_ids": IDS, "evaluations": [evaluate(all_ids), evaluate(all_ids[:5])]})
print("\nwrote", len(CASES), "cases")
