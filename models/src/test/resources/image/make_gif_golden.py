#!/usr/bin/python3
"""GIFs with damaged LZW data and Pillow's verdict on each, the reference for Vireo's GIF check.

From inputs/palette.gif (180x120, 64 colours): 60 copies with 1-3 bytes of the first frame's LZW data
(not its sub-block lengths) changed, and 10 cut inside that data (a terminator and trailer appended).
Pillow 9.4 (open + load) accepts some and refuses the others ("broken data stream", "image file is
truncated"). Writes gif/broken_NN.gif and gif_golden.json beside this script.

Run: /usr/bin/python3 models/src/test/resources/image/make_gif_golden.py
"""
import io
import json
import os
import random

from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))


def lzw_data_span(g):
    """Offsets of the first frame's LZW data bytes (excluding sub-block length bytes) and the data's start."""
    at = 13
    if g[10] & 0x80:
        at += 3 << ((g[10] & 7) + 1)
    while g[at] == 0x21:
        at += 2
        while g[at]:
            at += g[at] + 1
        at += 1
    assert g[at] == 0x2C
    packed = g[at + 9]
    at += 10
    if packed & 0x80:
        at += 3 << ((packed & 7) + 1)
    start = at  # minimum code size byte
    at += 1
    data = []
    while g[at]:
        data.extend(range(at + 1, at + 1 + g[at]))
        at += g[at] + 1
    return start, data


def verdict(data):
    try:
        with Image.open(io.BytesIO(data)) as im:
            im.load()
        return "ok"
    except Exception as e:  # noqa: BLE001 - any refusal counts
        return "error: " + str(e)


def main():
    with open(os.path.join(HERE, "inputs", "palette.gif"), "rb") as f:
        good = f.read()
    start, data = lzw_data_span(good)
    rng = random.Random(5)
    cases = []
    os.makedirs(os.path.join(HERE, "gif"), exist_ok=True)
    for i in range(70):
        b = bytearray(good)
        if i < 60:
            for _ in range(rng.randint(1, 3)):
                b[rng.choice(data)] = rng.randrange(256)
        else:
            cut = rng.choice(data[: len(data) // 2])
            b = b[:cut] + b"\x00\x3b"
        name = "broken_%02d.gif" % i
        with open(os.path.join(HERE, "gif", name), "wb") as f:
            f.write(bytes(b))
        cases.append({"input": name, "pillow": verdict(bytes(b))})
    with open(os.path.join(HERE, "gif_golden.json"), "w") as f:
        json.dump({"pillow": Image.__version__, "cases": cases}, f, indent=1)
    print(sum(c["pillow"] == "ok" for c in cases), "accepted of", len(cases))


if __name__ == "__main__":
    main()
