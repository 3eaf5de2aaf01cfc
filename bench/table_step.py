#!/usr/bin/env python3
"""The PyTorch peer of Elbo's table training step, for the tables benchmark: the same MLP VAE (inputs: the encoded
values and one observation flag per column; hidden 400; latent 20) with the same per-column likelihood as Elbo's
`tabular` (Gaussian with a learned log-variance floored at sigma 0.01, Bernoulli, softmax cross-entropy; missing cells
masked), trained for one epoch with Adam on a random matrix of the given layout. Prints rows/s.

usage: /usr/bin/python3 bench/table_step.py ROWS NUMERIC BOOLEAN CATEGORIES THREADS
       e.g. 800000 24 4 3,4,5,6,7,8,9,10,11,12,7 1   (the layout of `Elbo.Bench tables`' generated file)
"""
import math
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

rows, numeric, boolean = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
categories = [int(k) for k in sys.argv[4].split(",")]
torch.set_num_threads(int(sys.argv[5]))
torch.manual_seed(1)
values = numeric + boolean + sum(categories)
columns = numeric + boolean + len(categories)
inputs, outputs = values + columns, 2 * numeric + boolean + sum(categories)
log_min_var = math.log(0.01 ** 2)

# a random table in Elbo's layout: standardized numerics, 0/1 booleans, one-hots, a few missing cells
x = torch.zeros(rows, inputs)
x[:, :numeric] = torch.randn(rows, numeric)
x[:, numeric:numeric + boolean] = (torch.rand(rows, boolean) < 0.5).float()
at = numeric + boolean
for k in categories:
    x[torch.arange(rows), at + torch.randint(0, k, (rows,))] = 1.0
    at += k
mask = (torch.rand(rows, columns) > 0.02).float()
x[:, values:] = mask


class Vae(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1, self.fc21, self.fc22 = nn.Linear(inputs, 400), nn.Linear(400, 20), nn.Linear(400, 20)
        self.fc3, self.fc4 = nn.Linear(20, 400), nn.Linear(400, outputs)

    def forward(self, v):
        h = F.relu(self.fc1(v))
        mu, logvar = self.fc21(h), self.fc22(h)
        z = mu + torch.exp(0.5 * logvar) * torch.randn_like(mu)
        return self.fc4(F.relu(self.fc3(z))), mu, logvar


def loss(out, v, mu, logvar):
    m = v[:, values:]
    mean, raw = out[:, :numeric], out[:, numeric:2 * numeric]
    lv = F.softplus(raw - log_min_var) + log_min_var
    nll = (0.5 * (math.log(2 * math.pi) + lv + (v[:, :numeric] - mean) ** 2 / lv.exp()) * m[:, :numeric]).sum()
    nll = nll + (F.binary_cross_entropy_with_logits(out[:, 2 * numeric:2 * numeric + boolean], v[:, numeric:numeric + boolean],
                                                    reduction="none") * m[:, numeric:numeric + boolean]).sum()
    o, a = 2 * numeric + boolean, numeric + boolean
    for c, k in enumerate(categories):
        logits, target = out[:, o:o + k], v[:, a:a + k]
        nll = nll + ((torch.logsumexp(logits, 1) - (logits * target).sum(1)) * m[:, numeric + boolean + c]).sum()
        o, a = o + k, a + k
    kl = -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())
    return (nll + kl) / v.shape[0]


model = Vae()
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
order = torch.randperm(rows)
start = time.perf_counter()
for b in range(0, rows, 128):
    batch = x[order[b:b + 128]]
    opt.zero_grad()
    out, mu, logvar = model(batch)
    loss(out, batch, mu, logvar).backward()
    opt.step()
seconds = time.perf_counter() - start
print(f"torch table step: {rows} rows in {seconds:.1f} s, {rows / seconds:,.0f} rows/s (threads {torch.get_num_threads()})")
