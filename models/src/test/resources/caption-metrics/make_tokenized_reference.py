"""Golden tokenisation and end-to-end numbers for Vireo's CaptionTokenizer and CaptionMetrics.evaluate
(CaptionTokenizerParityTest, CaptionMetricsParityTest).

Writes tokenizer-cases.json ([{"caption", "tokenized"}]: what pycocoevalcap's PTBTokenizer.tokenize
returns for each caption: CoreNLP 3.4.1's PTBTokenizer -preserveLines -lowerCase, then its punctuation
list removed), tokenizer-synthetic.json (the same for 1,000 seeded random captions crowded with
clitics, abbreviations, numbers, quotes, brackets and punctuation) and raw-reference.json (raw captions, as a user gives them, scored the whole COCOEvalCap
way: PTBTokenizer, then Bleu(4), Rouge, Cider).

Usage: python3 make_tokenized_reference.py /path/to/pycocoevalcap /path/to/stanford-corenlp-3.4.1.jar
(pycocoevalcap: github:salaniz/pycocoevalcap, commit ad63453; the jar: Stanford CoreNLP 3.4.1, which no
registry here serves, compiled locally from github:stanfordnlp/CoreNLP at tag v3.4.1 -- its PTBTokenizer and
what that needs; nothing of it, nor a script that builds it, is kept in this repository). The jar is copied into the
checkout's tokenizer/ folder, where PTBTokenizer looks for it. Needs java and numpy.
"""
import json
import os
import random
import shutil
import sys

sys.path.insert(0, sys.argv[1])
shutil.copy(sys.argv[2], os.path.join(sys.argv[1], "tokenizer", "stanford-corenlp-3.4.1.jar"))
from tokenizer.ptbtokenizer import PTBTokenizer  # noqa: E402
from bleu.bleu import Bleu  # noqa: E402
from rouge.rouge import Rouge  # noqa: E402
from cider.cider import Cider  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))

CAPTIONS = [
    # ordinary COCO-style captions
    "A man riding a wave on top of a surfboard.",
    "A group of people standing around a kitchen.",
    "Two giraffes standing next to each other in a field.",
    "a plate of food with broccoli, rice and meat",
    "A cat laying on a bed next to a laptop computer .",
    "A red double decker bus driving down a street",
    "An old-fashioned clock tower in the middle of a town square.",
    "There is a dog that is sitting in the car.",
    "A young boy is flying a red kite in a park!",
    "Is this a cat or a dog?",
    "A woman holding an umbrella; it is raining.",
    "People walking: some with bags, some without.",
    "A black and white photo of a train station",
    "Two zebras grazing in a grassy field with trees in the background",
    "  A bowl of fruit   sitting on a table.  ",
    "A man in a blue shirt and black pants is standing next to a woman in a red dress.",
    # clitics and apostrophes
    "The dog's bone isn't here.",
    "I can't believe it's not butter",
    "They're sure we've seen what you'll do, I'm told he'd go",
    "He cannot go, he's gonna stay",
    "A player's shirt and the players' shirts",
    "Don't touch the cat's tail",
    "Won't you ain't wouldn't shouldn't",
    "It's a boy's toy and the girls' toys",
    "Let's go to the 1990's party",
    "Rock music from the '90s era",
    "Mom 'n' Pop's store",
    "A sign that says 'STOP' on a pole",
    "The word 'yes' in quotes",
    "gotta wanna gimme lemme gonna",
    "Don’t touch the dog’s tail",
    "O'Brien's pub on St. Patrick's Day",
    "rock'n'roll and o'clock",
    # quotes and brackets
    "\"Stop\" says the sign",
    "A man (in red) holds a {toy} [ball]",
    "A sign reading “Welcome” at the gate",
    "A sign with ‘single’ quotes",
    "A kite (red and blue)",
    "A shop called `Joe's` in town",
    "Dog (left), cat (right).",
    # numbers, currency, symbols
    "It costs $5 and 20% more",
    "1,000 people at 10:30 with 2.5 dogs",
    "A bus number 42 at 5:45pm",
    "A price tag of $3.99 on a shirt",
    "About 3/4 of the pizza is gone",
    "Room #12 and a 2-story building",
    "A 1980s car with a 4x4 sticker",
    "A man & a woman @ the beach",
    "Temperature is -5 degrees",
    "A+ grade on a paper",
    "3.14 is pi; 2,5 is not",
    # punctuation inside and around words
    "red,white and blue:green",
    "A t-shirt and a black/white cap",
    "Wait... what -- really - no",
    "A dog--a big one--runs",
    "Hello!!! What??? Yes!?",
    "A cat.A dog.",
    "Mr. Smith and Dr. Jones in the U.S.",
    "A man named Mr. Bean.",
    "The U.S. flag flies high",
    "A street in Washington D.C. at night",
    "Mt. Fuji in the background, etc.",
    "A sign for St. Louis",
    "A ship named S.S. Minnow",
    "Pick up at 5 p.m. today",
    "An e-mail from john@example.com",
    "Visit www.example.com for info",
    "A photo of a man :) smiling",
    "A cow... in a field...",
    "A cat ; a dog",
    "A dog , a cat , and a bird .",
    "The end .",
    "semi-truck and x-ray and e.g. things",
    "A half-eaten sandwich; a well-known place.",
    "A well - dressed man",
    "A 3-year-old child",
    "A picture of 100% cotton",
    # abbreviations, acronyms, sentence ends (the lexer is case-blind)
    "the mr. man and dr. who and MR. BIG",
    "a sign for ST. LOUIS and st. louis",
    "plan a. and Plan A. and b. c. here",
    "no. 5 and no. five and NO. 5",
    "in jan. and in Jan. and Jan. 5",
    "an ave. and the Ave. and ft. and Ft.",
    "the u.s. and U.S. and u.s.a. here",
    "corp. inc. Corp. Inc. ltd. co.",
    "the end. and more. x",
    "A picture of a U.S. flag. The U.S.",
    "A tv. A TV.",
    "A man at 5pm and 5 pm and 10:30am.",
    "A lens of 3.5mm and 1,000s of people",
    "smiley :) and ;-) and :D and :(",
    "He said \"hi\" and 'hello' to the kids' dog.",
    "A cat?! A dog!! Hello?",
    "A well- dressed man and a -big- dog",
    "A car – a truck — a bus",
    "Tom's and James' and the Joneses' house",
    "It'll and they'd and we'd've",
    "C'mon let's go y'all",
    "A kid with a toy (a red one).",
    "A dog [sic] in a car {really}",
    "A man with a 'WELCOME' sign.",
    "Yes. No. Maybe.",
    "A woman in her 20s with a 1/2 sandwich",
    "An S.U.V. parked by a Ph.D. student",
    "A yellow fire hydrant on a side walk .",
    "A bathroom with a toilet , sink , and mirror .",
    "Two people are playing frisbee in the park",
    "A large jetliner flying through a blue sky.",
    "A pizza with pepperoni, mushrooms, and olives on it.",
    "The skateboarder is doing a trick on the ramp.",
    "A laptop computer sitting on top of a wooden desk.",
    "a stop sign that has been vandalized with graffiti",
    "An elephant walking through the tall grass.",
    "A recipe with 1 1/2 cups and $5 3/4 each",
    "Mr.... hello and U.S.... there",
    "A smiley :)... and :), and :)!",
    "A dog., a cat; etc., and more.: yes",
    # case and unicode
    "A CAFÉ in Paris.",
    "THE QUICK BROWN FOX",
    "A naïve façade in São Paulo",
    "Ein Hund läuft über die Straße.",
    "A menu with crème brûlée",
    "Straße",
]

tokenizer = PTBTokenizer()
tokenized = tokenizer.tokenize({i: [{"caption": c}] for i, c in enumerate(CAPTIONS)})
with open(os.path.join(HERE, "tokenizer-cases.json"), "w", encoding="utf-8") as f:
    json.dump([{"caption": c, "tokenized": tokenized[i][0]} for i, c in enumerate(CAPTIONS)], f, indent=1, ensure_ascii=False)
    f.write("\n")

rng = random.Random(19)
PARTS = ("a the man woman dog's cat kids' don't can't it's they're we've I'm he'd U.S. Mr. Dr. St. etc. no. 5 10:30 2.5 "
         "1,000 $5 20% #3 t-shirt black/white o'clock O'Brien 1990s '90s (in red) [ball] {toy} \"quoted\" 'single' ... -- - ; : "
         ", . ! ? ?! 3/4 5pm 5:45pm A+ e-mail www.x.com :) CAFÉ naïve well-known -5 x").split(" ")
synthetic = []
for _ in range(1000):
    text = " ".join(rng.choice(PARTS) for _ in range(rng.randint(3, 14)))
    if rng.random() < 0.5:
        text = text[0].upper() + text[1:]
    if rng.random() < 0.6:
        text += rng.choice([".", " .", "!", "?", "..."])
    if rng.random() < 0.3:
        text = text.replace(" ,", ",").replace(" .", ".")
    synthetic.append(text)
tokenized = tokenizer.tokenize({i: [{"caption": c}] for i, c in enumerate(synthetic)})
with open(os.path.join(HERE, "tokenizer-synthetic.json"), "w", encoding="utf-8") as f:
    json.dump([{"caption": c, "tokenized": tokenized[i][0]} for i, c in enumerate(synthetic)], f, indent=0, ensure_ascii=False)
    f.write("\n")

RAW = [
    ("1", ["A man riding a wave on top of a surfboard.", "A surfer rides a large wave in the ocean.",
           "Man (in a wetsuit) surfing a wave!"], "A man riding a wave on a surfboard."),
    ("2", ["A cat laying on a bed next to a laptop.", "The cat's asleep on the bed."], "A cat isn't sleeping; it's on a bed."),
    ("3", ["Two giraffes standing in a field.", "Giraffes, trees and grass."], "TWO GIRAFFES in a field, with trees..."),
    ("4", ["A red double-decker bus.", "A bus driving down a street in London."], "A \"red\" bus on the street"),
    ("5", ["It costs $5 at 10:30.", "A sign showing a price."], "A sign: $5, 10:30"),
    ("6", ["A dog.", "A brown dog runs."], "..."),
]
gts = {cid: [{"caption": r} for r in refs] for cid, refs, _ in RAW}
res = {cid: [{"caption": cand}] for cid, _, cand in RAW}
gts_t, res_t = tokenizer.tokenize(gts), tokenizer.tokenize(res)
bleu, bleu_per = Bleu(4).compute_score(gts_t, res_t, verbose=0)
rouge, rouge_per = Rouge().compute_score(gts_t, res_t)
cider, cider_per = Cider().compute_score(gts_t, res_t)
ids = list(gts_t.keys())
corpus = {"Bleu_%d" % (k + 1): float(bleu[k]) for k in range(4)}
corpus.update({"ROUGE_L": float(rouge), "CIDEr": float(cider)})
per_image = {}
for i, cid in enumerate(ids):
    row = {"Bleu_%d" % (k + 1): float(bleu_per[k][i]) for k in range(4)}
    row.update({"ROUGE_L": float(rouge_per[i]), "CIDEr": float(cider_per[i])})
    per_image[cid] = row
with open(os.path.join(HERE, "raw-reference.json"), "w", encoding="utf-8") as f:
    json.dump({"source": "salaniz/pycocoevalcap ad63453 PTBTokenizer (CoreNLP 3.4.1) + Bleu(4), Rouge, Cider",
               "cases": [{"id": c, "refs": r, "candidate": s} for c, r, s in RAW],
               "tokenized": {"refs": gts_t, "candidates": res_t},
               "corpus": corpus, "per_image": per_image}, f, indent=1, ensure_ascii=False)
    f.write("\n")
print("wrote", len(CAPTIONS), "tokenizer cases and", len(RAW), "raw cases")
