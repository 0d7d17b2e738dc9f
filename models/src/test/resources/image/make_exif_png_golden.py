#!/usr/bin/python3
"""PNGs with an eXIf chunk (orientations 3, 6 and 8) and how Pillow decodes them (open,
ImageOps.exif_transpose, RGB): width, height and CRC-32 of the RGB bytes. (A chunk with the "Exif\\0\\0"
prefix some tools add makes Pillow 9.4's exif_transpose raise; Vireo ignores such a chunk's orientation.)

Run: /usr/bin/python3 models/src/test/resources/image/make_exif_png_golden.py   (Debian's Pillow 9.4)
Writes inputs/exif_{3,6,8}.png and exif_png_golden.json beside this script.
"""
import json
import os
import struct
import zlib

import numpy as np
from PIL import Image, ImageOps

HERE = os.path.dirname(os.path.abspath(__file__))
IN = os.path.join(HERE, "inputs")


def with_exif_chunk(png, payload):
    """The PNG with an eXIf chunk holding payload inserted after IHDR (PNG 1.5 allows it before IDAT)."""
    chunk = struct.pack(">I", len(payload)) + b"eXIf" + payload + struct.pack(">I", zlib.crc32(b"eXIf" + payload) & 0xFFFFFFFF)
    ihdr_end = 8 + 8 + 13 + 4
    return png[:ihdr_end] + chunk + png[ihdr_end:]


def main():
    y, x = np.mgrid[0:30, 0:47]
    a = np.stack([x * 5, y * 8, (x * y) % 256], -1).astype(np.uint8)
    cases = []
    for o in (3, 6, 8):
        exif = Image.Exif()
        exif[0x0112] = o
        tiff = exif.tobytes()  # b"Exif\0\0" + TIFF
        payload = tiff[6:]
        name = f"exif_{o}.png"
        Image.fromarray(a).save(os.path.join(IN, "plain_for_exif.png"))
        with open(os.path.join(IN, "plain_for_exif.png"), "rb") as f:
            png = f.read()
        os.remove(os.path.join(IN, "plain_for_exif.png"))
        with open(os.path.join(IN, name), "wb") as f:
            f.write(with_exif_chunk(png, payload))
        with Image.open(os.path.join(IN, name)) as im:
            im = ImageOps.exif_transpose(im).convert("RGB")
        cases.append({"input": name, "orientation": o, "width": im.width, "height": im.height,
                      "crc32": zlib.crc32(im.tobytes()) & 0xFFFFFFFF})
    with open(os.path.join(HERE, "exif_png_golden.json"), "w") as f:
        json.dump({"pillow": Image.__version__, "cases": cases}, f, indent=1)
    print(cases)


if __name__ == "__main__":
    main()
