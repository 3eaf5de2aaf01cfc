"""An end-to-end reference for QualityReport: three small mixed tables with missing values (real.csv,
synthetic.csv, holdout.csv) and the scores an independent numpy/scipy implementation of the SDMetrics definitions
gives them (expected.json). Tests read the files; they never run Python.

Run with Debian's python3-scipy (scipy 1.10, numpy 1.24): /usr/bin/python3 make_report_fixture.py

Definitions (https://docs.sdv.dev/sdmetrics): KSComplement = 1 - ks_2samp statistic on observed values;
TVComplement = 1 - 1/2 sum |R - S| over observed categories; CorrelationSimilarity = 1 - |r_R - r_S| / 2 (Pearson,
rows with both observed); ContingencySimilarity = 1 - 1/2 sum |R(a,b) - S(a,b)| with missing as a category; numeric
columns in mixed pairs cut by numpy.histogram_bin_edges(real observed) and numpy.digitize; property = mean over
defined scores, overall = mean of the two properties. DCR: mean over columns of min(|x - y| / training range, 1)
(numeric; both missing 0, one missing 1) or 0/1 mismatch (categorical, missing a category of its own).
"""
import csv
import itertools
import json

import numpy as np
from scipy import stats

rng = np.random.default_rng(2026)


def table(n, shift, noise, extra_category):
    a = rng.normal(shift, 1.0, n).round(2)
    b = (a * 0.8 + rng.normal(0, noise, n)).round(2)
    c = rng.integers(0, 6, n).astype(float)
    cats = ["north", "south", "east"] + (["west"] if extra_category else [])
    p = [0.5, 0.3, 0.2] if not extra_category else [0.4, 0.3, 0.2, 0.1]
    k = rng.choice(cats, n, p=p).astype(object)
    f = np.where(rng.random(n) < 0.3 + 0.4 * (a > 0), "true", "false").astype(object)
    a[rng.random(n) < 0.1] = np.nan
    b[rng.random(n) < 0.05] = np.nan
    k[rng.random(n) < 0.08] = ""
    return {"a": a, "b": b, "c": c, "k": k, "f": f}


real = table(150, 0.0, 0.5, False)
synthetic = table(120, 0.2, 0.9, True)
holdout = table(60, 0.0, 0.5, False)
numeric, categorical = ["a", "b", "c"], ["k", "f"]
columns = numeric + categorical


def write(name, t):
    with open(name, "w", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(columns)
        for i in range(len(t["a"])):
            w.writerow(["" if (col in numeric and np.isnan(t[col][i])) else (repr(float(t[col][i])) if col in numeric else t[col][i])
                        for col in columns])


write("real.csv", real)
write("synthetic.csv", synthetic)
write("holdout.csv", holdout)


def observed(x):
    return x[~np.isnan(x)]


def shape(col):
    if col in numeric:
        return 1 - stats.ks_2samp(observed(real[col]), observed(synthetic[col])).statistic
    r = [v for v in real[col] if v != ""]
    s = [v for v in synthetic[col] if v != ""]
    cats = sorted(set(r) | set(s))
    return 1 - 0.5 * sum(abs(r.count(v) / len(r) - s.count(v) / len(s)) for v in cats)


def discrete(col, t):
    if col in categorical:
        return list(t[col])
    edges = np.histogram_bin_edges(observed(real[col]))
    x = t[col]
    return ["nan" if np.isnan(v) else int(np.digitize(v, edges)) for v in x]


def pair(c1, c2):
    if c1 in numeric and c2 in numeric:
        def rho(t):
            m = ~np.isnan(t[c1]) & ~np.isnan(t[c2])
            return stats.pearsonr(t[c1][m], t[c2][m])[0]
        return "CorrelationSimilarity", 1 - abs(rho(real) - rho(synthetic)) / 2
    def shares(t):
        keys = list(zip(discrete(c1, t), discrete(c2, t)))
        return {key: keys.count(key) / len(keys) for key in set(keys)}
    r, s = shares(real), shares(synthetic)
    return "ContingencySimilarity", 1 - 0.5 * sum(abs(r.get(key, 0) - s.get(key, 0)) for key in set(r) | set(s))


shapes = {col: shape(col) for col in columns}
pairs = {f"{c1}|{c2}": pair(c1, c2) for c1, c2 in itertools.combinations(columns, 2)}
column_shapes = float(np.mean(list(shapes.values())))
pair_trends = float(np.mean([v for _, v in pairs.values()]))

ranges = {col: np.nanmax(real[col]) - np.nanmin(real[col]) for col in numeric}


def dcr(queries, reference):
    nq, nr = len(queries["a"]), len(reference["a"])
    total = np.zeros((nq, nr))
    for col in columns:
        q = queries[col][:, None]
        r = reference[col][None, :]
        if col in numeric:
            q = q.astype(float)
            r = r.astype(float)
            d = np.minimum(np.abs(q - r) / ranges[col], 1.0)
            qn, rn = np.isnan(q), np.isnan(r)
            d = np.where(qn & rn, 0.0, np.where(qn | rn, 1.0, d))
        else:
            d = (q != r).astype(float)
        total += d
    return (total / len(columns)).min(axis=1)


s_train = dcr(synthetic, real)
h_train = dcr(holdout, real)
s_hold = dcr(synthetic, holdout)
closer = float(np.mean(s_train < s_hold))
expected = {
    "columnShapes": {col: float(v) for col, v in shapes.items()},
    "pairs": {key: {"metric": m, "score": float(v)} for key, (m, v) in pairs.items()},
    "columnShapesScore": column_shapes,
    "columnPairTrendsScore": pair_trends,
    "score": (column_shapes + pair_trends) / 2,
    "syntheticMedianDcr": float(np.median(s_train)),
    "holdoutMedianDcr": float(np.median(h_train)),
    "closerThanHoldoutMedian": float(np.mean(s_train < np.median(h_train))),
    "closerToTraining": closer,
    "overfittingProtection": min(2 * (1 - closer), 1.0),
}
with open("expected.json", "w") as fh:
    json.dump(expected, fh, indent=2)
    fh.write("\n")
print(json.dumps(expected, indent=2))
