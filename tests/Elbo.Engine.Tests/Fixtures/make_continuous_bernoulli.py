#!/usr/bin/python3
"""Golden values from PyTorch for Elbo's continuous Bernoulli loss (run once; the test keeps the printed table and never
needs Python).

  /usr/bin/python3 tests/Elbo.Engine.Tests/Fixtures/make_continuous_bernoulli.py   (Debian's python3-torch)

Prints C# rows (logit, target, nll, mean) for ContinuousBernoulliTests.TorchGolden: nll = -log_prob and mean from
torch.distributions.ContinuousBernoulli(logits=...), in float64. torch replaces its normalizer and mean by a Taylor
expansion in lambda for lambda in (0.499, 0.501), i.e. |logit| < 0.004, which is less accurate than a direct formula,
so the logits here stay outside that band (the test checks the band against its own double reference instead).
torch also clamps lambda to [eps, 1 - eps] (eps = 2.2e-16 in float64), i.e. |logit| <= 36.04: at logit -80 it gives
mean 0.0277 = 1/36.04 instead of 1/80. And it works from lambda, so for large positive logits 1 - lambda loses digits:
at +30 its -log_prob(1) is -3.4012314 where the exact value (= -log_prob(0) at -30 by symmetry) is -3.4011974, and its
mean 0.96666780 where 1/(1 - e^-30) - 1/30 = 0.96666667. So the logits here stay in [-30, 12], where torch's float64
values are good to ~1e-12 (the test's double reference covers the rest). Each logit is rounded to float32 first so that
the C# test feeds the very same numbers (likewise each target).
"""
import torch
from torch.distributions import ContinuousBernoulli

logits = [float(torch.tensor(v, dtype=torch.float32)) for v in
          [-30.0, -12.0, -7.5, -2.0, -0.7, -0.05, 0.01, 0.3, 1.0, 3.99, 4.0, 4.01, 12.0]]
targets = [float(torch.tensor(v, dtype=torch.float32)) for v in [0.0, 0.3, 1.0]]

rows = []
for l in logits:
    for x in targets:
        d = ContinuousBernoulli(logits=torch.tensor(l, dtype=torch.float64))
        nll = -d.log_prob(torch.tensor(x, dtype=torch.float64)).item()
        rows.append((l, x, nll, d.mean.item()))

print(f"// torch {torch.__version__}")
for l, x, nll, mean in rows:
    print(f"        ({l!r}, {x!r}, {nll!r}, {mean!r}),")
