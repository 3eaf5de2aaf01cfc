#!/usr/bin/python3
"""Golden values from PyTorch for Elbo's engine tests (run once; the tests read the JSON and never need Python).

  /usr/bin/python3 tests/Elbo.Engine.Tests/Fixtures/make_golden.py   (Debian's python3-torch)

Writes golden_mlp.json and golden_conv.json beside this script. Each holds the inputs, the initial state dict, the
forward output, the loss, the gradients after one backward, the parameters (and buffers) after 3 Adam steps on the
same batch, and (conv) the eval-mode output after those steps. The C# test loads the state dict, so the two
frameworks' random generators need not agree.
  mlp:  Linear(6,5) ReLU Linear(5,4) Tanh Linear(4,6); loss = BCE-with-logits summed / batch.
  conv: Conv2d(1,4,3,s2,p1,bias=False) BatchNorm2d(4) LeakyReLU(0.01) ConvTranspose2d(4,2,3,s2,p1,op1); channel 0 is the mean and
        channel 1 the log-variance of a Gaussian; loss = Gaussian NLL (with log 2π) summed / batch.
        (No conv bias before batch norm: its gradient is exactly zero in theory, so Adam would amplify rounding noise
        that differs between the frameworks.)
"""
import json, math, os
import torch
from torch import nn
from torch.nn import functional as F

HERE = os.path.dirname(os.path.abspath(__file__))

def t2j(t):
    return {"shape": list(t.shape), "data": [float(v) for v in t.detach().reshape(-1).tolist()]}

def run(name, model, x, target, loss_fn, lr=1e-2):
    state = {k: t2j(v) for k, v in model.state_dict().items()}
    model.train()
    out = model(x)
    loss = loss_fn(out, target)
    loss.backward()
    grads = {k: t2j(p.grad) for k, p in model.named_parameters()}
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    opt.step()                                   # step 1 uses the gradients above
    for _ in range(2):                           # steps 2 and 3: fresh forward/backward on the same batch
        opt.zero_grad()
        loss_fn(model(x), target).backward()
        opt.step()
    after = {k: t2j(v) for k, v in model.state_dict().items()}
    model.eval()
    with torch.no_grad():
        eval_out = model(x)
    doc = {"inputs": {"x": t2j(x), "target": t2j(target)}, "state_dict": state, "output": t2j(out),
           "loss": float(loss), "grads": grads, "adam": {"lr": lr, "steps": 3}, "after_adam": after,
           "eval_output": t2j(eval_out)}
    with open(os.path.join(HERE, f"golden_{name}.json"), "w") as f:
        json.dump(doc, f)

def bce_sum_over_batch(logits, t):
    return F.binary_cross_entropy_with_logits(logits, t, reduction="sum") / logits.shape[0]

def gauss_nll_over_batch(out, t):
    mean, logvar = out[:, 0:1], out[:, 1:2]
    nll = 0.5 * (math.log(2 * math.pi) + logvar + (t - mean) ** 2 * torch.exp(-logvar))
    return nll.sum() / out.shape[0]

def main():
    torch.manual_seed(0)
    mlp = nn.Sequential(nn.Linear(6, 5), nn.ReLU(), nn.Linear(5, 4), nn.Tanh(), nn.Linear(4, 6))
    x = torch.randn(3, 6)
    t = torch.rand(3, 6)
    run("mlp", mlp, x, t, bce_sum_over_batch)

    torch.manual_seed(1)
    conv = nn.Sequential(nn.Conv2d(1, 4, 3, 2, 1, bias=False), nn.BatchNorm2d(4), nn.LeakyReLU(0.01),
                         nn.ConvTranspose2d(4, 2, 3, 2, 1, output_padding=1))
    x = torch.randn(3, 1, 6, 6)
    t = torch.rand(3, 1, 6, 6)
    run("conv", conv, x, t, gauss_nll_over_batch)

if __name__ == "__main__":
    main()
