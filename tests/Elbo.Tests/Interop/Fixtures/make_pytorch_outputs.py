#!/usr/bin/python3
"""An Elbo checkpoint (model.safetensors) in PyTorch: the matching torch module, the state dict loaded strictly, and
the forward pass; the PyTorch side of tests/Elbo.Tests/Interop/PyTorchInteropTests.cs (docs/interop.md).

  /usr/bin/python3 tests/Elbo.Tests/Interop/Fixtures/make_pytorch_outputs.py
      (re)writes pytorch_<kind>.safetensors beside this script for the four runs kept here (mlp, conv, ae, cvae:
      <kind>/model.safetensors, trained by `elbo train`, see README.md): the inputs, and the outputs PyTorch computes
      for them. The C# test loads the same checkpoints in Elbo and compares; it never runs Python.
  /usr/bin/python3 make_pytorch_outputs.py RUN_FOLDER [LATENTS_CSV]
      loads a run folder of yours into PyTorch and prints what it built; with the CSV `elbo encode RUN_FOLDER --out
      LATENTS_CSV` wrote for a Fashion-MNIST or MNIST run, encodes the same test pictures in PyTorch and prints the
      largest difference from Elbo's mu and logvar.

Needs Debian's python3-torch (1.13) and, for the fixtures and the CSV comparison, dataset-fashion-mnist.

Reading the file: Debian 12 has no python3-safetensors (`apt-cache policy python3-safetensors` lists nothing), so when
the `safetensors` package cannot be imported the file is read here with json + struct from the format's description:
8 bytes little-endian header length N, N bytes of JSON ({name: {dtype, shape, data_offsets}} and "__metadata__"), then
the raw little-endian data. Elbo writes F32 tensors only. With `safetensors` installed, safetensors.torch.load_file
reads the tensors instead (the metadata, which holds the run's configuration, is read here either way).

The module names are Elbo's, which are PyTorch's: the model has encoder, fc_mu, fc_var (not for the plain
autoencoder) and decoder, each network an nn.Sequential whose indices count the parameterless layers too (the conv
encoder starts with an nn.Unflatten, so its first conv is encoder.1). load_state_dict(strict=True) fails on any missing,
extra or misshapen tensor, so a fixture that is written proves the names match. The checkpoint's other tensors are
Adam's state, under "optimizer.": they are dropped. BatchNorm's num_batches_tracked is a float in Elbo and an int64 in
PyTorch; load_state_dict converts it.
"""
import gzip
import hashlib
import json
import os
import struct
import sys

import torch
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))
KINDS = ["mlp", "conv", "ae", "cvae"]
FASHION_MNIST = "/usr/share/datasets/fashion-mnist"
EXAMPLES = 3          # test pictures per fixture
OPTIMIZER_PREFIX = "optimizer."

try:
    from safetensors.torch import load_file as _load_file
except ImportError:
    _load_file = None


def read_safetensors(path):
    """(tensors, metadata) of a safetensors file of F32 tensors; checks the layout and Elbo's checksum."""
    with open(path, "rb") as f:
        raw = f.read()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + n].decode("utf-8"))
    buffer = raw[8 + n:]
    metadata = header.pop("__metadata__", None) or {}
    if "elbo.sha256" in metadata:
        assert hashlib.sha256(buffer).hexdigest() == metadata["elbo.sha256"], f"{path}: the data do not match their checksum"
    if _load_file is not None:
        return _load_file(path), metadata
    tensors = {}
    for name, info in header.items():
        assert info["dtype"] == "F32", f"{path}: {name} is {info['dtype']}, not F32"
        begin, end = info["data_offsets"]
        values = torch.frombuffer(bytearray(buffer[begin:end]), dtype=torch.float32) if end > begin else torch.zeros(0)
        tensors[name] = values.reshape(info["shape"])
    return tensors, metadata


def write_safetensors(tensors, path, metadata):
    """Writes F32 tensors as safetensors.torch.save_file does: sorted names, the header padded to 8 bytes."""
    header = {"__metadata__": metadata}
    chunks, offset = [], 0
    for name in sorted(tensors):
        data = tensors[name].detach().contiguous().to(torch.float32).numpy().astype("<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(tensors[name].shape), "data_offsets": [offset, offset + len(data)]}
        offset += len(data)
        chunks.append(data)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for c in chunks:
            f.write(c)


def mlp_encoder(inputs, hidden):
    """src/Elbo/Models/MlpNetworks.cs: Linear+ReLU per hidden size."""
    layers, width = [], inputs
    for h in hidden:
        layers += [nn.Linear(width, h), nn.ReLU()]
        width = h
    return nn.Sequential(*layers), width


def mlp_decoder(latent, hidden, outputs):
    layers, width = [], latent
    for h in reversed(hidden):
        layers += [nn.Linear(width, h), nn.ReLU()]
        width = h
    return nn.Sequential(*layers, nn.Linear(width, outputs))


def conv_encoder(c, h, w, channels):
    """src/Elbo/Models/ConvNetworks.cs (PyTorch-VAE's VanillaVAE): Conv(3, stride 2, padding 1)+BatchNorm+LeakyReLU."""
    layers = [nn.Unflatten(1, (c, h, w))]
    for ch in channels:
        layers += [nn.Conv2d(c, ch, 3, stride=2, padding=1), nn.BatchNorm2d(ch), nn.LeakyReLU(0.01)]
        c, h, w = ch, (h + 1) // 2, (w + 1) // 2
    return nn.Sequential(*layers, nn.Flatten()), c * h * w


def conv_decoder(c, h, w, channels, latent, per_feature):
    for _ in channels:
        h, w = (h + 1) // 2, (w + 1) // 2
    last = channels[-1]
    layers = [nn.Linear(latent, last * h * w), nn.Unflatten(1, (last, h, w))]
    for i in range(len(channels) - 1, 0, -1):
        layers += [nn.ConvTranspose2d(channels[i], channels[i - 1], 3, stride=2, padding=1, output_padding=1),
                   nn.BatchNorm2d(channels[i - 1]), nn.LeakyReLU(0.01)]
    layers += [nn.ConvTranspose2d(channels[0], channels[0], 3, stride=2, padding=1, output_padding=1),
               nn.BatchNorm2d(channels[0]), nn.LeakyReLU(0.01),
               nn.Conv2d(channels[0], per_feature * c, 3, padding=1), nn.Flatten()]
    return nn.Sequential(*layers)


def continuous_bernoulli_mean(logits):
    """The mean of the continuous Bernoulli with natural parameter (logit) l: 1/(1 - exp(-l)) - 1/l, in float64 and
    rounded back (the Taylor series 1/2 + l/12 - l^3/720 within |l| < 1e-3, where the two terms cancel).

    Not torch.distributions.ContinuousBernoulli(logits=...).mean as it stands: in float32 its closed form
    p/(2p-1) + 1/(2 atanh(1-2p)) adds two terms of size 1/|2p-1| that nearly cancel and, outside its Taylor window
    0.499 < p < 0.501, loses up to 1.7e-3 near p = 1/2 (measured on the ae fixture); and it clamps p to [eps, 1 - eps],
    which caps the mean at 0.063 (float32) or 0.028 (float64) for logits below -16 or -36, where the true mean is -1/l.
    Where it does not clamp, the float64 torch.distributions mean agrees with this one (checked below)."""
    l = logits.double()
    small = l.abs() < 1e-3
    safe = torch.where(small, torch.ones_like(l), l)
    mean = torch.where(small, 0.5 + l / 12 - l ** 3 / 720, 1 / (-torch.expm1(-safe)) - 1 / safe)
    inside = l.abs() < 30
    reference = torch.distributions.ContinuousBernoulli(logits=l[inside]).mean
    assert (reference - mean[inside]).abs().max().item() < 1e-9, "the closed form disagrees with torch.distributions"
    return mean.to(logits.dtype)


class ElboTorchModel(nn.Module):
    """Elbo's Vae (mlp, conv), ConditionalVae (cvae: the one-hot label beside x and beside z) and Autoencoder (ae: no
    fc_var), as src/Elbo/Models builds them from a run's configuration."""

    def __init__(self, config):
        super().__init__()
        self.kind, self.likelihood = config["model"], config["likelihood"]
        shape = config["input"]
        if shape.get("kind") != "image":
            raise SystemExit(f"this script builds models of pictures; the run's input is {shape.get('kind')} "
                             "(a table model's encoder reads Elbo's encoding of a row: see docs/interop.md)")
        c, h, w = shape["channels"], shape["height"], shape["width"]
        self.features = c * h * w
        latent = config["latent"]
        per_feature = 2 if self.likelihood == "gaussian-learned" else 1
        self.classes = config["classes"] if self.kind == "cvae" else 0
        if self.kind == "conv":
            self.encoder, width = conv_encoder(c, h, w, config["channels"])
            decoder = conv_decoder(c, h, w, config["channels"], latent, per_feature)
        elif self.kind in ("mlp", "ae", "cvae"):
            self.encoder, width = mlp_encoder(self.features + self.classes, config["hidden"])
            decoder = mlp_decoder(latent + self.classes, config["hidden"], per_feature * self.features)
        else:
            raise SystemExit(f"unknown model kind {self.kind}")
        self.fc_mu = nn.Linear(width, latent)
        if self.kind != "ae":
            self.fc_var = nn.Linear(width, latent)
        self.decoder = decoder          # registered last, as in Elbo: the state dict's order is the same too

    def _with_label(self, v, labels):
        if not self.classes:
            return v
        return torch.cat([v, nn.functional.one_hot(labels.long(), self.classes).to(v.dtype)], dim=1)

    def encode(self, x, labels=None):
        """(mu, logvar) of q(z|x); for the plain autoencoder (code, None)."""
        h = self.encoder(self._with_label(x, labels))
        return self.fc_mu(h), (self.fc_var(h) if self.kind != "ae" else None)

    def decode(self, z, labels=None):
        """The decoder's output: the parameters of p(x|z) (logits, means, or means then log-variances)."""
        return self.decoder(self._with_label(z, labels))

    def mean(self, params):
        """The mean of p(x|z), with torch.distributions where it has the likelihood."""
        if self.likelihood == "bernoulli":
            return torch.distributions.Bernoulli(logits=params).mean
        if self.likelihood == "continuous-bernoulli":
            return continuous_bernoulli_mean(params)
        if self.likelihood == "gaussian":
            return params
        if self.likelihood == "gaussian-learned":
            return params[:, :self.features]
        raise SystemExit(f"likelihood {self.likelihood}: no mean here")


def load(weights_path):
    """The torch model of an Elbo checkpoint, in eval mode, and the run's configuration."""
    tensors, metadata = read_safetensors(weights_path)
    if "elbo.config" in metadata:
        config = json.loads(metadata["elbo.config"])
    else:   # a checkpoint of Elbo's first layout keeps its configuration only in config.json beside it
        with open(os.path.join(os.path.dirname(weights_path), "config.json")) as f:
            config = json.load(f)
    state = {k: v for k, v in tensors.items() if not k.startswith(OPTIMIZER_PREFIX)}
    model = ElboTorchModel(config)
    model.load_state_dict(state, strict=True)
    model.eval()
    return model, config, state


def idx(path):
    """The array of an IDX file (gzip or raw) as a uint8 tensor."""
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        raw = f.read()
    dims = raw[3]
    shape = struct.unpack(">" + "I" * dims, raw[4:4 + 4 * dims])
    return torch.frombuffer(bytearray(raw[4 + 4 * dims:]), dtype=torch.uint8).reshape(shape)


def fashion_mnist_test(n=None):
    """The test pictures as Elbo reads them (N, 784), scaled by 1/255 as its config says, and their labels."""
    images = idx(os.path.join(FASHION_MNIST, "t10k-images-idx3-ubyte.gz"))
    labels = idx(os.path.join(FASHION_MNIST, "t10k-labels-idx1-ubyte.gz"))
    if n is not None:
        images, labels = images[:n], labels[:n]
    return images.reshape(images.shape[0], -1).to(torch.float32) / 255.0, labels.long()


def write_fixture(kind):
    weights = os.path.join(HERE, kind, "model.safetensors")
    model, config, state = load(weights)
    x, labels = fashion_mnist_test(EXAMPLES)
    y = labels if model.classes else None
    torch.manual_seed(7)
    z = torch.randn(EXAMPLES, config["latent"])
    with torch.no_grad():
        mu, logvar = model.encode(x, y)
        params = model.decode(z, y)
        mean = model.mean(params)
        reconstruction = model.mean(model.decode(mu, y))
    outputs = {"x": x, "labels": labels.to(torch.float32), "z": z, "mu": mu, "params": params, "mean": mean,
               "reconstruction": reconstruction}
    if logvar is not None:
        outputs["logvar"] = logvar
    with open(weights, "rb") as f:
        checkpoint_sha256 = hashlib.sha256(f.read()).hexdigest()
    metadata = {"made_by": "make_pytorch_outputs.py", "torch": torch.__version__, "checkpoint": f"{kind}/model.safetensors",
                "checkpoint_sha256": checkpoint_sha256, "state_dict": ",".join(state)}
    out = os.path.join(HERE, f"pytorch_{kind}.safetensors")
    write_safetensors(outputs, out, metadata)
    print(f"{kind}: {len(state)} tensors loaded strictly ({', '.join(state)}); wrote {out}")


def compare_with_elbo(run, latents_csv):
    model, config, state = load(os.path.join(run, "model.safetensors"))
    print(f"{run}: {config['model']} ({config['likelihood']}), {len(state)} tensors loaded strictly into {type(model).__name__}:")
    print(model)
    if latents_csv is None:
        return
    if config["dataset"] not in ("fashion-mnist", "mnist") and not config["dataset"].startswith(FASHION_MNIST):
        raise SystemExit(f"the CSV comparison reads Fashion-MNIST's test pictures; this run was trained on {config['dataset']}")
    x, labels = fashion_mnist_test()
    with open(latents_csv) as f:
        header = f.readline().strip().split(",")
        rows = [list(map(float, line.split(","))) for line in f if line.strip()]
    elbo = torch.tensor(rows, dtype=torch.float64)
    latent = config["latent"]
    worst = {}
    with torch.no_grad():
        for begin in range(0, x.shape[0], 1000):
            xb, yb = x[begin:begin + 1000], labels[begin:begin + 1000]
            mu, logvar = model.encode(xb, yb if model.classes else None)
            block = elbo[begin:begin + 1000]
            for name, values in (("mu", mu), ("logvar", logvar)):
                if values is None:
                    continue
                first = header.index(f"{name}_0")
                d = (values.double() - block[:, first:first + latent]).abs().max().item()
                worst[name] = max(worst.get(name, 0.0), d)
    print(f"{x.shape[0]} test pictures encoded in PyTorch {torch.__version__}; max |PyTorch - Elbo|: "
          + ", ".join(f"{k} {v:.2e}" for k, v in worst.items()))


def main():
    if len(sys.argv) > 1:
        compare_with_elbo(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else None)
        return
    torch.set_num_threads(1)
    for kind in KINDS:
        write_fixture(kind)


if __name__ == "__main__":
    main()
