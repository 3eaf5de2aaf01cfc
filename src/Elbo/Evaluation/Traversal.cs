using Elbo.Data;
using Elbo.Imaging;
using Elbo.Models;

namespace Elbo.Evaluation;

/// <summary>Latent traversals (<c>elbo traverse</c>): one row per latent dimension u, sweeping z_u over
/// [−range, range] while the other dimensions stay at one example's μ, decoded to likelihood means.</summary>
public static class Traversal
{
    /// <summary>Default number of rows when the dimensions are chosen by information.</summary>
    public const int DefaultMaxDimensions = 10;

    /// <summary>How many examples the ranking by information looks at by default (the first of the test split).</summary>
    public const int RankingExamples = 2000;

    /// <summary>The <paramref name="steps"/> values of a sweep: −range to range, equally spaced, both included.</summary>
    /// <exception cref="ArgumentException">range is not a positive finite number or steps &lt; 2.</exception>
    public static float[] Values(float range, int steps)
    {
        if (!(range > 0) || float.IsInfinity(range)) throw new ArgumentException($"--range must be a positive number, got {range}");
        if (steps < 2) throw new ArgumentException($"--steps must be at least 2, got {steps}");
        var values = new float[steps];
        for (int k = 0; k < steps; k++) values[k] = (float)(-range + 2.0 * range * k / (steps - 1));
        values[steps - 1] = range;
        return values;
    }

    /// <summary>The latent points of the picture: for each dimension in <paramref name="dims"/> (a row), for each sweep
    /// value (a column), <paramref name="mu"/> with that dimension replaced by the value; (rows·steps) × L row-major.</summary>
    internal static float[] Grid(ReadOnlySpan<float> mu, int[] dims, float range, int steps)
    {
        var values = Values(range, steps);
        CheckDimensions(dims, mu.Length);
        int l = mu.Length;
        var z = new float[dims.Length * steps * l];
        for (int r = 0; r < dims.Length; r++)
            for (int k = 0; k < steps; k++)
            {
                var point = z.AsSpan((r * steps + k) * l, l);
                mu.CopyTo(point);
                point[dims[r]] = values[k];
            }
        return z;
    }

    /// <summary>The rows of a traversal: <paramref name="dims"/> in the order given, or when null the dimensions by
    /// decreasing information (<see cref="LatentCodes.DimensionsByInformation"/>: KL for a VAE, variance of the code
    /// for an autoencoder), at most <paramref name="maxDims"/> of them; each with its KL and variance of μ over
    /// <paramref name="codes"/>.</summary>
    /// <exception cref="ArgumentException">A dimension outside 0..L−1, no dimensions, or maxDims &lt; 1.</exception>
    public static TraversalRow[] Rows(LatentCodes codes, int[]? dims, int maxDims = DefaultMaxDimensions)
    {
        ArgumentNullException.ThrowIfNull(codes);
        if (maxDims < 1) throw new ArgumentException($"--max-dims must be positive, got {maxDims}");
        int[] chosen = dims ?? codes.DimensionsByInformation()[..Math.Min(maxDims, codes.Latent)];
        CheckDimensions(chosen, codes.Latent);
        var kl = codes.KlPerDimension();
        var variance = codes.VarianceOfMu();
        var rows = new TraversalRow[chosen.Length];
        for (int r = 0; r < chosen.Length; r++)
            rows[r] = new TraversalRow(chosen[r], codes.Family.HasDensity ? kl[chosen[r]] : null, variance[chosen[r]]);
        return rows;
    }

    /// <summary>The picture around the latent point <paramref name="mu"/>: one row per dimension in
    /// <paramref name="dims"/>, <paramref name="steps"/> columns from −range to range, 2 pixels of white padding. A
    /// conditional model decodes every point at class <paramref name="label"/>.</summary>
    /// <exception cref="ArgumentException">Bad dimensions, range or steps, a point of the wrong length, or data that
    /// are not images.</exception>
    public static Image Picture(LatentVariableModel model, ReadOnlySpan<float> mu, int[] dims, float range, int steps, int scale = 2, int label = -1)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(dims);
        var shape = ImageRows.ShapeOf(model.Input);
        if (mu.Length != model.Latent) throw new ArgumentException($"a latent point of {mu.Length} values for a model of latent {model.Latent}", nameof(mu));
        var z = Grid(mu, dims, range, steps);
        int n = dims.Length * steps;
        var decoded = LatentDecoding.Means(model, z, n, model.IsConditional ? Enumerable.Repeat(label, n).ToArray() : default);
        return ImageRows.Compose(decoded, dims.Length, steps, shape, framed: false, scale);
    }

    /// <summary>The picture around μ of example <paramref name="index"/> of <paramref name="codes"/>.</summary>
    public static Image Picture(LatentVariableModel model, LatentCodes codes, int[] dims, float range, int steps, int index, int scale = 2)
    {
        ArgumentNullException.ThrowIfNull(codes);
        CheckIndex(index, codes.Count);
        return Picture(model, codes.MuOf(index), dims, range, steps, scale, codes.Labels[index]);
    }

    /// <summary>The picture around μ of example <paramref name="index"/> of <paramref name="data"/>.</summary>
    public static Image Picture(LatentVariableModel model, Dataset data, int[] dims, float range, int steps, int index, int scale = 2)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        CheckIndex(index, data.Count);
        if (data.Features != model.Input.Features)
            throw new ArgumentException($"the data ({data.Channels}x{data.Height}x{data.Width}) do not match the model ({model.Input})");
        var pixels = data.Image(index);
        var one = new Dataset(data.Name, pixels, [data.Label(index)], data.Shape, data.Normalization);
        var codes = LatentCodes.Encode(model, one);
        return Picture(model, codes.MuOf(0), dims, range, steps, scale, data.Label(index));
    }

    private static void CheckIndex(int index, int count)
    {
        if (index < 0 || index >= count)
            throw new ArgumentException($"--index {index} is outside the test data (0..{count - 1})");
    }

    private static void CheckDimensions(int[] dims, int latent)
    {
        ArgumentNullException.ThrowIfNull(dims);
        if (dims.Length == 0) throw new ArgumentException("--dims needs at least one dimension");
        foreach (int u in dims)
            if (u < 0 || u >= latent)
                throw new ArgumentException($"--dims: dimension {u} is outside the latent space (0..{latent - 1})");
    }
}
