#!/usr/bin/python3
"""Writes golden.safetensors byte-exactly as the reference safetensors (Rust) writer would.

The `safetensors` package is not installable here (PyPI unreachable, no Debian package), so this
script follows the spec with numpy: 8-byte little-endian header length; compact JSON header
(`__metadata__` first, keys sorted; tensors sorted by dtype in the Rust enum order, descending,
then by name) padded with spaces to a multiple of 8; then the tensors' little-endian bytes.
Run with Debian's python: /usr/bin/python3 make_safetensors_golden.py
"""
import json
import os
import struct

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
# Rust `Dtype` declaration order (the writer sorts on it, descending).
DTYPE_ORDER = ["BOOL", "U8", "I8", "F8_E5M2", "F8_E4M3", "I16", "U16", "F16", "BF16",
               "I32", "U32", "F32", "F64", "I64", "U64"]


def bf16_bytes(x):
    """float32 -> bfloat16 with round-to-nearest-even, as raw little-endian bytes."""
    bits = np.asarray(x, dtype=np.float32).view(np.uint32).astype(np.uint64)
    rounded = (bits + 0x7FFF + ((bits >> 16) & 1)) >> 16
    return rounded.astype("<u2").tobytes()


def tensors():
    f32 = np.array([[0.0, 1.0, -2.5], [3.25, 1e-8, -7e5]], dtype="<f4")
    f16 = np.array([0.1, -1.5, 65504.0, 6.1e-5], dtype="<f2")
    bf = np.array([[1.0, 3.14159265], [-0.007, 1234.5678]], dtype=np.float32)
    i64 = np.array([0, -1, 2 ** 40 + 3], dtype="<i8")
    i32 = np.array([[1, -2], [2 ** 31 - 1, -2 ** 31]], dtype="<i4")
    scalar = np.array(42.0, dtype="<f4")
    return {
        "layer.weight": ("F32", list(f32.shape), f32.tobytes()),
        "half": ("F16", list(f16.shape), f16.tobytes()),
        "brain": ("BF16", list(bf.shape), bf16_bytes(bf)),
        "ids": ("I64", list(i64.shape), i64.tobytes()),
        "counts": ("I32", list(i32.shape), i32.tobytes()),
        "a.scalar": ("F32", [], scalar.tobytes()),
        "empty": ("F32", [0, 3], b""),
    }


def serialize(items, metadata):
    order = sorted(items.items(), key=lambda kv: kv[0].encode("utf-8"))
    order = sorted(order, key=lambda kv: DTYPE_ORDER.index(kv[1][0]), reverse=True)  # stable: name order kept within a dtype
    header = {}
    if metadata:
        header["__metadata__"] = {k: metadata[k] for k in sorted(metadata)}
    offset = 0
    for name, (dtype, shape, data) in order:
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [offset, offset + len(data)]}
        offset += len(data)
    text = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    text += b" " * ((8 - len(text) % 8) % 8)
    return struct.pack("<Q", len(text)) + text + b"".join(d for _, (_, _, d) in order)


def main():
    metadata = {"format": "pt", "note": "quote \" backslash \\ tab \t bell \x07 caf\u00e9 \u2713"}
    out = serialize(tensors(), metadata)
    path = os.path.join(HERE, "golden.safetensors")
    with open(path, "wb") as f:
        f.write(out)
    print("wrote", path, len(out), "bytes")


if __name__ == "__main__":
    main()
