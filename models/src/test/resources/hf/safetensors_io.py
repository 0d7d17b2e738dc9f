"""Hand-written safetensors reader and writer (the `safetensors` package is not installable here).

Format: 8-byte little-endian header length N, N bytes of JSON header
{name: {"dtype", "shape", "data_offsets": [begin, end]}, "__metadata__": {...}} padded with spaces
so the data starts on an 8-byte boundary, then the raw little-endian tensor bytes. Offsets are
relative to the start of the data. Only numpy and torch are used; dtypes F64, F32, F16, BF16, I64, I32.
"""
import json
import struct

import numpy as np
import torch

_NUMPY = {"F64": "<f8", "F32": "<f4", "F16": "<f2", "I64": "<i8", "I32": "<i4"}
_TORCH_NAMES = {torch.float64: "F64", torch.float32: "F32", torch.float16: "F16",
                torch.bfloat16: "BF16", torch.int64: "I64", torch.int32: "I32"}


def write(path, tensors, metadata=None):
    """Writes {name: torch.Tensor} to `path`; data is laid out in sorted name order."""
    header = {"__metadata__": dict(metadata or {"format": "pt"})}
    blobs = []
    offset = 0
    for name in sorted(tensors):
        t = tensors[name].detach().contiguous().cpu()
        dtype = _TORCH_NAMES.get(t.dtype)
        if dtype is None:
            raise ValueError(f"safetensors write {path}: tensor {name} has unsupported dtype {t.dtype}")
        if dtype == "BF16":
            raw = t.view(torch.int16).numpy().astype("<i2").tobytes()
        else:
            raw = t.numpy().astype(_NUMPY[dtype]).tobytes()
        header[name] = {"dtype": dtype, "shape": list(t.shape), "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for raw in blobs:
            f.write(raw)


def read(path):
    """Reads a safetensors file into ({name: torch.Tensor}, metadata); tensors keep their stored dtype."""
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 8:
        raise ValueError(f"safetensors read {path}: file has {len(data)} bytes, fewer than the 8-byte header length")
    (n,) = struct.unpack("<Q", data[:8])
    if 8 + n > len(data):
        raise ValueError(f"safetensors read {path}: header length {n} runs past the file end ({len(data)} bytes)")
    header = json.loads(data[8:8 + n].decode("utf-8"))
    body = data[8 + n:]
    metadata = header.pop("__metadata__", {})
    tensors = {}
    for name, entry in header.items():
        begin, end = entry["data_offsets"]
        dtype, shape = entry["dtype"], entry["shape"]
        raw = body[begin:end]
        if dtype == "BF16":
            bits = np.frombuffer(raw, dtype="<u2").astype(np.uint32) << 16
            arr = bits.view(np.float32)
        elif dtype in _NUMPY:
            arr = np.frombuffer(raw, dtype=_NUMPY[dtype])
        else:
            raise ValueError(f"safetensors read {path}: tensor {name} has unsupported dtype {dtype}")
        count = int(np.prod(shape)) if shape else 1
        if arr.size != count:
            raise ValueError(f"safetensors read {path}: tensor {name} shape {shape} needs {count} values, "
                             f"data_offsets {begin}..{end} hold {arr.size}")
        tensors[name] = torch.from_numpy(arr.copy().reshape(shape))
    return tensors, metadata
