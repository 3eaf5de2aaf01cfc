namespace Elbo.Evaluation.Quality;

/// <summary>
/// One column of the real, synthetic and (optional) holdout tables matched by name, with categorical codes remapped to
/// one category list: the real table's categories first, then those only the synthetic or holdout table has, by name.
/// </summary>
internal sealed record AlignedColumn(string Name, QualityColumnKind Kind, IReadOnlyList<string> Categories,
    double[]? RealValues, double[]? SyntheticValues, double[]? HoldoutValues,
    int[]? RealCodes, int[]? SyntheticCodes, int[]? HoldoutCodes, IReadOnlyList<string> SyntheticOnly)
{
    /// <summary>The columns of <paramref name="real"/> matched in the other tables.</summary>
    /// <exception cref="ArgumentException">A table lacks a column, has one more, or a column's kind differs.</exception>
    public static AlignedColumn[] Align(QualityTable real, QualityTable synthetic, QualityTable? holdout)
    {
        Check(real, synthetic, "synthetic");
        if (holdout is not null) Check(real, holdout, "holdout");
        var result = new AlignedColumn[real.Columns.Count];
        for (int c = 0; c < result.Length; c++)
        {
            var r = real.Columns[c];
            var s = synthetic.Find(r.Name)!;
            var h = holdout?.Find(r.Name);
            if (r.Kind == QualityColumnKind.Numeric)
            {
                result[c] = new AlignedColumn(r.Name, r.Kind, [], r.Values, s.Values, h?.Values, null, null, null, []);
                continue;
            }
            var names = new List<string>(r.Categories);
            var index = new Dictionary<string, int>(StringComparer.Ordinal);
            for (int k = 0; k < names.Count; k++) index[names[k]] = k;
            int[] Remap(QualityColumn col)
            {
                var map = new int[col.Categories.Count];
                for (int k = 0; k < map.Length; k++)
                {
                    if (!index.TryGetValue(col.Categories[k], out int to))
                    {
                        to = names.Count;
                        names.Add(col.Categories[k]);
                        index[col.Categories[k]] = to;
                    }
                    map[k] = to;
                }
                var codes = col.Codes!;
                var remapped = new int[codes.Length];
                for (int i = 0; i < codes.Length; i++) remapped[i] = codes[i] < 0 ? -1 : map[codes[i]];
                return remapped;
            }
            var sc = Remap(s);
            var hc = h is null ? null : Remap(h);
            var seenReal = new bool[names.Count];
            foreach (int code in r.Codes!)
                if (code >= 0) seenReal[code] = true;
            var seenSynthetic = new bool[names.Count];
            foreach (int code in sc)
                if (code >= 0) seenSynthetic[code] = true;
            var only = new List<string>();
            for (int k = 0; k < names.Count; k++)
                if (seenSynthetic[k] && !seenReal[k]) only.Add(names[k]);
            result[c] = new AlignedColumn(r.Name, r.Kind, names, null, null, null, r.Codes, sc, hc, only);
        }
        return result;
    }

    private static void Check(QualityTable real, QualityTable other, string which)
    {
        foreach (var c in real.Columns)
        {
            var o = other.Find(c.Name) ?? throw new ArgumentException($"the {which} table has no column {c.Name}");
            if (o.Kind != c.Kind) throw new ArgumentException($"column {c.Name} is {c.Kind} in the real table but {o.Kind} in the {which} table");
        }
        foreach (var o in other.Columns)
            if (real.Find(o.Name) is null) throw new ArgumentException($"the {which} table has a column {o.Name} the real table lacks");
    }

    /// <summary>The real column as the distance wants it: values, or codes as numbers.</summary>
    public double[] RealNumbers => RealValues ?? Array.ConvertAll(RealCodes!, x => (double)x);

    /// <summary>The synthetic column as the distance wants it.</summary>
    public double[] SyntheticNumbers => SyntheticValues ?? Array.ConvertAll(SyntheticCodes!, x => (double)x);

    /// <summary>The holdout column as the distance wants it (null without a holdout).</summary>
    public double[]? HoldoutNumbers => HoldoutValues ?? (HoldoutCodes is null ? null : Array.ConvertAll(HoldoutCodes, x => (double)x));
}
