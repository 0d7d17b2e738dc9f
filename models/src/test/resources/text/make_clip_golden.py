#!/usr/bin/python3
"""Golden CLIP token ids from an independent Python re-implementation of OpenAI's simple_tokenizer.

Run: /usr/bin/python3 models/src/test/resources/text/make_clip_golden.py
Needs Debian's python3-regex (the `regex` module OpenAI's code imports); no ftfy: the one ftfy
step that matters for clean captions, NFC, is applied in its place, as the Java tokenizer does.
Reads the bundled bpe_simple_vocab_16e6.txt.gz and writes clip_golden.json beside this script:
for each caption the unpadded ids, the 77-id row of clip.tokenize(truncate=True) and the decoding.
"""
import gzip
import hashlib
import html
import json
import os
import random
import unicodedata

import regex as re

HERE = os.path.dirname(os.path.abspath(__file__))
VOCAB = os.path.join(HERE, "..", "..", "..", "main", "resources", "dev", "vireo", "models", "text",
                     "bpe_simple_vocab_16e6.txt.gz")


def bytes_to_unicode():
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) \
        + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(2 ** 8):
        if b not in bs:
            bs.append(b)
            cs.append(2 ** 8 + n)
            n += 1
    return dict(zip(bs, [chr(c) for c in cs]))


def get_pairs(word):
    return {(word[i], word[i + 1]) for i in range(len(word) - 1)}


def basic_clean(text):
    text = unicodedata.normalize("NFC", text)  # stands in for ftfy.fix_text
    text = html.unescape(html.unescape(text))
    return text.strip()


def whitespace_clean(text):
    return re.sub(r"\s+", " ", text).strip()  # `re` is the regex module here, as in OpenAI's file


class SimpleTokenizer:
    def __init__(self, bpe_path):
        self.byte_encoder = bytes_to_unicode()
        self.byte_decoder = {v: k for k, v in self.byte_encoder.items()}
        merges = gzip.open(bpe_path).read().decode("utf-8").split("\n")
        merges = merges[1:49152 - 256 - 2 + 1]
        merges = [tuple(merge.split()) for merge in merges]
        vocab = list(bytes_to_unicode().values())
        vocab = vocab + [v + "</w>" for v in vocab]
        for merge in merges:
            vocab.append("".join(merge))
        vocab.extend(["<|startoftext|>", "<|endoftext|>"])
        self.encoder = dict(zip(vocab, range(len(vocab))))
        self.decoder = {v: k for k, v in self.encoder.items()}
        self.bpe_ranks = dict(zip(merges, range(len(merges))))
        self.cache = {"<|startoftext|>": "<|startoftext|>", "<|endoftext|>": "<|endoftext|>"}
        self.pat = re.compile(r"""<\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+""",
                              re.IGNORECASE)

    def bpe(self, token):
        if token in self.cache:
            return self.cache[token]
        word = tuple(token[:-1]) + (token[-1] + "</w>",)
        pairs = get_pairs(word)
        if not pairs:
            return token + "</w>"
        while True:
            bigram = min(pairs, key=lambda pair: self.bpe_ranks.get(pair, float("inf")))
            if bigram not in self.bpe_ranks:
                break
            first, second = bigram
            new_word = []
            i = 0
            while i < len(word):
                try:
                    j = word.index(first, i)
                    new_word.extend(word[i:j])
                    i = j
                except ValueError:
                    new_word.extend(word[i:])
                    break
                if word[i] == first and i < len(word) - 1 and word[i + 1] == second:
                    new_word.append(first + second)
                    i += 2
                else:
                    new_word.append(word[i])
                    i += 1
            word = tuple(new_word)
            if len(word) == 1:
                break
            pairs = get_pairs(word)
        word = " ".join(word)
        self.cache[token] = word
        return word

    def encode(self, text):
        bpe_tokens = []
        text = whitespace_clean(basic_clean(text)).lower()
        for token in re.findall(self.pat, text):
            token = "".join(self.byte_encoder[b] for b in token.encode("utf-8"))
            bpe_tokens.extend(self.encoder[bpe_token] for bpe_token in self.bpe(token).split(" "))
        return bpe_tokens

    def decode(self, tokens):
        text = "".join([self.decoder[token] for token in tokens])
        return bytearray([self.byte_decoder[c] for c in text]).decode("utf-8", errors="replace").replace("</w>", " ")

    def tokenize(self, text, context_length=77):
        sot, eot = self.encoder["<|startoftext|>"], self.encoder["<|endoftext|>"]
        tokens = [sot] + self.encode(text) + [eot]
        if len(tokens) > context_length:
            tokens = tokens[:context_length]
            tokens[-1] = eot
        return tokens + [0] * (context_length - len(tokens))


HAND = [
    "a photo of a cat", "a rocket standing on a launchpad", "Hello, World! It's 2024.",
    "a page of text about segmentation", "a facial photo of a tabby cat",
    "a portrait of an astronaut with the American flag", "a red motorcycle standing in a garage",
    "a person looking at a camera on a tripod", "a black-and-white silhouette of a horse",
    "a cup of coffee on a saucer", "", "   ", "\t\n\r", "A", "!", "'", "''", "'s", "it's", "IT'S",
    "we're they've I'm you'll he'd", "don't won't can't shouldn't", "rock'n'roll", "'tis the season",
    "O'Neil's dog's bone", "l'été est là", "Ça va? Très bien!", "naïve café résumé façade",
    "Crème brûlée, jalapeño, piñata", "Straße Mädchen Österreich", "ΟΔΟΣ Σίσυφος ΣΣ", "İstanbul DİYARBAKIR",
    "Ĳssel ǅemal ǈ", "e\u0301 vs \u00e9", "A\u030a ngstr\u00f6m", "\u212bngstr\u00f6m and \u212a Kelvin",
    "x'\u017ft 'ſ it'ſ", "\u0399\u0308\u0301", "ﬁne ﬂower ﬀ", "１２３ ＡＢＣ ｆｕｌｌｗｉｄｔｈ",
    "the year 1999, 2000 and 3.14159", "$100.00 or €85,50 or £70 or ¥10000", "50% off!!! call 555-1234",
    "phone: +1 (800) 555-0199 ext. 42", "10:30am 12/25/2024 2024-12-25T10:30:00Z", "½ cup ¾ teaspoon ² ³ ⁴",
    "Ⅻ Ⅳ ⅷ roman numerals", "٣٤٥ arabic-indic digits", "१२३ devanagari", "H₂O and E=mc²",
    "emoji 😀😃😄 party 🎉🎊", "👨‍👩‍👧‍👦 family", "🇺🇸🇬🇧 flags", "thumbs 👍🏽 up", "❤️ love ♥ ♡",
    "☕ coffee ☀ sun ⛄", "a dog 🐶 and a cat 🐱 on a 🛋", "🤖🤖🤖🤖🤖🤖🤖🤖",
    "一只猫坐在垫子上", "東京タワーの写真", "서울의 야경", "中文 English 混合 text", "ｶﾀｶﾅ ひらがな カタカナ",
    "Привет, мир! Это тест.", "Γειά σου Κόσμε", "שלום עולם", "مرحبا بالعالم", "नमस्ते दुनिया",
    "สวัสดีชาวโลก", "Xin chào thế giới", "ዓለም ሰላም", "ᚠᚢᚦᚨᚱᚲ runes",
    "multiple     spaces    between", "tabs\tand\nnewlines\r\nmixed", "  leading and trailing  ",
    "nbsp\u00a0here and\u2009thin\u2003em\u3000ideographic", "line\u2028separator\u2029para",
    "file\x1cgroup\x1drecord\x1eunit\x1f", "zero\u200bwidth\u200cjoiner\u200dx", "soft\u00adhyphen",
    "bom\ufeffinside", "control\x07bell\x00nul\x7fdel", "next\x85line", "vertical\x0btab\x0cformfeed",
    "Tom &amp; Jerry", "&lt;b&gt;bold&lt;/b&gt;", "caf&eacute; &copy; 2024 &reg;", "&quot;quoted&quot; &apos;single&apos;",
    "&#39;numeric&#39; &#x27;hex&#x27; &#X41;", "double &amp;amp; escaped &amp;lt;tag&amp;gt;",
    "triple &amp;amp;amp; stays", "legacy &amp without semicolon &copy2024", "&ampfoo &ltx &notin &notit;",
    "&unknown; &; & ; &&amp;", "&#0; &#13; &#128; &#150; &#x80; &#x9f;", "&#1114111; &#1114112; &#xD800; &#99999999999999;",
    "&#1; &#11; &#x7f; &#xfdd0; &#xFFFE; &#x1FFFF;", "&#x1F600; &#128512; smile", "&nbsp;&nbsp;&nbsp;spaced&nbsp;out",
    "&NotNestedGreaterGreater; &bne; &fjlig; &ThickSpace;", "&Aacute&aacute;&AElig&szlig;", "&#65&#66&#67",
    "&#x;&#;&#x", "&abcdefghijklmnopqrstuvwxyzabcdefghijkl;", "a&b c&d=e?f&g", "&lt3 &gt=",
    "<|startoftext|>", "<|endoftext|>", "hello<|endoftext|>world", "!<|endoftext|>", "<|STARTOFTEXT|> upper",
    "<|endoftext|><|endoftext|>", "<|startoftext", "|> <| |", "<html><body>tags</body></html>",
    "https://example.com/path?query=1&x=2#frag", "user@example.com", "#hashtag @mention", "C++ C# F# .NET",
    "snake_case camelCase kebab-case PascalCase", "x86_64 arm64 i386", "v1.2.3-beta+build.5", "ISBN 978-3-16-148410-0",
    "...", "?!?!", "--- *** ___ ~~~", "(((nested)))", "[brackets] {braces} <angles>", "“curly quotes” ‘single’",
    "en–dash em—dash ‐ hyphen", "ellipsis… bullet • middot ·", "«guillemets» ‹single›", "¿Qué? ¡Sí!",
    "a" * 300, "ab" * 150, "😀" * 50, "1234567890" * 12, "supercalifragilisticexpialidocious",
    "pneumonoultramicroscopicsilicovolcanoconiosis", "Llanfairpwllgwyngyllgogerychwyrndrobwllllantysiliogogogoch",
    "antidisestablishmentarianism floccinaucinihilipilification", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab",
    "A photo of a DOG.", "a PHOTO of A Dog", "a blurry photo of a {}.", "a sculpture of a tench.",
    "itap of a goldfish.", "a bad photo of the great white shark.", "a origami tiger shark.", "art of the hammerhead.",
]

WORDS = ("a an the photo picture image drawing painting sketch of with on in at under over near beside "
         "dog dogs cat cats horse bird birds car truck bicycle motorcycle airplane boat train man woman "
         "child children people person group red green blue yellow black white orange purple small large "
         "tiny huge old young happy sad running sitting standing sleeping eating flying playing street "
         "beach park kitchen table field mountain river snow grass sky city building night sunset").split()
PUNCT = [".", ",", "!", "?", ";", ":", "'s", "'re", "-", "...", "(", ")", "\"", "&amp;", "&#39;", " ", "  ", "\t"]
EXTRA = ["café", "naïve", "😀", "🐕", "猫", "犬", "2", "42", "1999", "½", "Σ", "ß", "ø", "ł", "ü", "é"]


def generated(rng, count):
    out = []
    for _ in range(count):
        n = rng.randint(1, 25)
        parts = []
        for _ in range(n):
            r = rng.random()
            if r < 0.70:
                w = rng.choice(WORDS)
                if rng.random() < 0.15:
                    w = w.capitalize()
                elif rng.random() < 0.05:
                    w = w.upper()
                parts.append(w)
            elif r < 0.88:
                parts.append(rng.choice(PUNCT))
            else:
                parts.append(rng.choice(EXTRA))
        sep = rng.choice([" ", " ", " ", "", "  "])
        out.append(sep.join(parts))
    return out


def long_texts(rng, count):
    return [" ".join(rng.choice(WORDS) for _ in range(rng.randint(80, 200))) for _ in range(count)]


def main():
    rng = random.Random(20240501)
    captions = HAND + generated(rng, 300) + long_texts(rng, 20)
    tok = SimpleTokenizer(VOCAB)
    cases = []
    for text in captions:
        ids = [49406] + tok.encode(text) + [49407]
        cases.append({"text": text, "ids": ids, "ids77": tok.tokenize(text), "decoded": tok.decode(ids[1:-1])})
    with gzip.open(VOCAB, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()  # of the uncompressed text
    out = os.path.join(HERE, "clip_golden.json")
    with open(out, "w", encoding="ascii") as f:
        json.dump({"vocab": "bpe_simple_vocab_16e6.txt.gz", "vocab_txt_sha256": digest,
                   "reference": "OpenAI simple_tokenizer re-implemented with python3-regex, NFC instead of ftfy",
                   "cases": cases}, f, ensure_ascii=True, indent=0)
    print("wrote", len(cases), "cases to", out)


if __name__ == "__main__":
    main()
