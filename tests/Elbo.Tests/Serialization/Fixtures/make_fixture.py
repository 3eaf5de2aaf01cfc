#!/usr/bin/env python3
"""Makes tiny.safetensors, the fixture SafeTensorsFixtureTests reads, and checks files Elbo writes.

    python3 make_fixture.py                 # (re)writes tiny.safetensors beside this script
    python3 make_fixture.py FILE.safetensors  # reads a file Elbo wrote and prints its tensors

With the `safetensors` package installed, the fixture is written by safetensors.torch.save_file and Elbo's file
is read by safetensors.torch.load_file. Without it (Debian 12 has no python3-safetensors), a small writer and
reader written here from the format description are used instead, with PyTorch (python3-torch) making the tensors:
8-byte little-endian header length N, N bytes of JSON padded with spaces to a multiple of 8, then the data.
The tests never run this script.
"""
import hashlib
import json
import os
import struct
import sys

import torch

HERE = os.path.dirname(os.path.abspath(__file__))

try:
    from safetensors.torch import load_file, save_file
    HAVE_SAFETENSORS = True
except ImportError:
    HAVE_SAFETENSORS = False


def fixture_tensors():
    # Values chosen to be exact in float32 and to differ per element.
    return {
        "encoder.weight": torch.arange(6, dtype=torch.float32).reshape(2, 3) * 0.5 - 1.0,
        "encoder.bias": torch.tensor([0.25, -0.125], dtype=torch.float32),
        "scale": torch.tensor(3.5, dtype=torch.float32),  # rank 0
        "empty": torch.zeros(0, 4, dtype=torch.float32),   # no bytes
        "cube": torch.arange(8, dtype=torch.float32).reshape(2, 2, 2) - 4.0,
    }


def plain_save(tensors, path, metadata):
    """Mirrors safetensors.torch.save_file: tensors ordered by name, header keys sorted, __metadata__ first."""
    header = {"__metadata__": metadata}
    chunks = []
    offset = 0
    for name in sorted(tensors):
        t = tensors[name].contiguous()
        data = t.numpy().astype("<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        offset += len(data)
        chunks.append(data)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for c in chunks:
            f.write(c)


def plain_load(path):
    """Reads a safetensors file of F32 tensors; returns (tensors, metadata) and checks the layout."""
    with open(path, "rb") as f:
        raw = f.read()
    (n,) = struct.unpack("<Q", raw[:8])
    assert (8 + n) % 8 == 0, "header not padded to 8 bytes"
    header = json.loads(raw[8:8 + n].decode("utf-8"))
    buffer = raw[8 + n:]
    metadata = header.pop("__metadata__", {}) or {}
    spans = sorted((v["data_offsets"][0], v["data_offsets"][1], k) for k, v in header.items())
    pos = 0
    for begin, end, name in spans:
        assert begin == pos, f"{name}: gap or overlap at {begin}"
        pos = end
    assert pos == len(buffer), "tensors do not cover the buffer"
    tensors = {}
    for name, info in header.items():
        assert info["dtype"] == "F32", f"{name}: dtype {info['dtype']}"
        begin, end = info["data_offsets"]
        t = torch.frombuffer(bytearray(buffer[begin:end]), dtype=torch.float32) if end > begin else torch.zeros(0)
        tensors[name] = t.reshape(info["shape"])
    if "elbo.sha256" in metadata:
        assert hashlib.sha256(buffer).hexdigest() == metadata["elbo.sha256"], "checksum mismatch"
    return tensors, metadata


def main():
    if len(sys.argv) > 1:
        path = sys.argv[1]
        if HAVE_SAFETENSORS:
            tensors, metadata = load_file(path), {}
        else:
            tensors, metadata = plain_load(path)
        print(f"read {path} with {'safetensors' if HAVE_SAFETENSORS else 'the plain reader'}")
        for k, v in metadata.items():
            print(f"  metadata {k} = {v}")
        for k, v in tensors.items():
            print(f"  {k} {tuple(v.shape)} {v.flatten().tolist()}")
        return
    out = os.path.join(HERE, "tiny.safetensors")
    if HAVE_SAFETENSORS:
        save_file(fixture_tensors(), out, metadata={"format": "pt"})
    else:
        plain_save(fixture_tensors(), out, {"format": "pt"})
    print(f"wrote {out} ({os.path.getsize(out)} bytes) with {'safetensors' if HAVE_SAFETENSORS else 'the plain writer'}")


if __name__ == "__main__":
    main()
