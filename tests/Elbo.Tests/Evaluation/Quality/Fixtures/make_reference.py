"""Reference values for tests/Elbo.Tests/Evaluation/Quality (QualityReferenceTests.cs).

Run with Debian's python3-scipy (scipy 1.10, numpy 1.24): /usr/bin/python3 make_reference.py
The numbers it prints are pasted into QualityReferenceTests.cs, so the tests never need Python.
These are the calls SDMetrics makes: scipy.stats.ks_2samp (KSComplement), scipy.stats.pearsonr / spearmanr
(CorrelationSimilarity), numpy.histogram_bin_edges + numpy.digitize (ColumnPairTrends' discretization).
"""
import numpy as np
from scipy import stats

rng = np.random.default_rng(9)
a = np.round(rng.normal(0.0, 1.0, 40), 3)
b = np.round(rng.normal(0.3, 1.4, 25), 3)
print("a =", ", ".join(repr(float(x)) for x in a))
print("b =", ", ".join(repr(float(x)) for x in b))
print("ks D =", repr(float(stats.ks_2samp(a, b).statistic)))

x = a[:25]
print("pearson(x, b) =", repr(float(stats.pearsonr(x, b)[0])))
print("spearman(x, b) =", repr(float(stats.spearmanr(x, b)[0])))
t = np.array([1, 2, 2, 3, 3, 3, 4, 10], dtype=float)
u = np.array([5, 1, 1, 2, 7, 7, 0, 3], dtype=float)
print("spearman ties =", repr(float(stats.spearmanr(t, u)[0])))

edges = np.histogram_bin_edges(a)
print("edges =", ", ".join(repr(float(e)) for e in edges))
probe = np.array([-10.0, float(a.min()), float(a.max()), 0.0, 10.0, float(edges[3])])
print("probe =", ", ".join(repr(float(p)) for p in probe))
print("digitize =", ", ".join(str(int(d)) for d in np.digitize(probe, edges)))
print("constant edges =", ", ".join(repr(float(e)) for e in np.histogram_bin_edges(np.array([2.0, 2.0, 2.0]))))
