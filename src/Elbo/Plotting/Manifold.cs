using Elbo.Engine.Autograd;
using Elbo.Evaluation;
using Elbo.Imaging;
using Elbo.Models;

namespace Elbo.Plotting;

/// <summary>
/// The learned data manifold of Kingma &amp; Welling (2014, fig. 4): decoder means for a G×G grid of latent points
/// whose coordinates are Φ⁻¹ of the equally spaced probabilities (i + ½)/G, i = 0 … G−1 (so for G = 20 they run
/// from Φ⁻¹(0.025) = −1.96 to +1.96, denser near 0 where the prior has its mass), tiled into one picture. Two latent
/// dimensions are swept — the first along the columns (left to right increasing), the second along the rows (top to
/// bottom decreasing, like a y axis) — and every other dimension stays at its centre (0 for the prior).
/// </summary>
public static class Manifold
{
    /// <summary>The file <c>elbo plot</c> writes.</summary>
    public const string FileName = RunFolder.Manifold;

    /// <summary>The default grid size G.</summary>
    public const int DefaultGrid = 20;

    /// <summary>The largest grid size accepted.</summary>
    public const int MaxGrid = 100;

    /// <summary>The G coordinates of the sweep: Φ⁻¹((i + ½)/G), increasing.</summary>
    public static double[] Coordinates(int grid)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(grid, 2);
        var z = new double[grid];
        for (int i = 0; i < grid; i++) z[i] = NormalDistribution.Quantile((i + 0.5) / grid);
        return z;
    }

    /// <summary>The manifold picture: decoder means (<see cref="Likelihoods.Likelihood.Mean"/>) for the grid over
    /// dimensions <paramref name="dimA"/> (columns) and <paramref name="dimB"/> (rows; a negative value sweeps only
    /// <paramref name="dimA"/>, in one row). Latent point u is <c>center[u] + spread[u]·Φ⁻¹(p)</c> on the swept
    /// dimensions and <c>center[u]</c> elsewhere; by default center = 0 and spread = 1 (the prior N(0, I)). For an
    /// autoencoder pass the codes' mean and standard deviation instead. A conditional model decodes the whole grid at
    /// class <paramref name="label"/> (by default its first class), so the picture shows that class's variations.</summary>
    /// <exception cref="ArgumentException">The model's data are not images (1 or 3 channels, more than one row), a
    /// dimension is out of range or repeated, the grid is outside 2 … <see cref="MaxGrid"/>, or center/spread do
    /// not have one value per latent dimension.</exception>
    public static Image Picture(LatentVariableModel model, int grid, int dimA, int dimB, double[]? center = null, double[]? spread = null, int padding = 0, int scale = 1, int label = 0)
    {
        ArgumentNullException.ThrowIfNull(model);
        var input = model.Input;
        if (!input.IsImage)
            throw new ArgumentException($"the model's data ({input}) are not images: there is no manifold picture");
        if (grid < 2 || grid > MaxGrid) throw new ArgumentException($"--grid must be between 2 and {MaxGrid}, got {grid}");
        int latent = model.Latent;
        if ((uint)dimA >= (uint)latent) throw new ArgumentException($"latent dimension {dimA} does not exist (the model has {latent})");
        if (dimB >= latent || dimB == dimA) throw new ArgumentException($"the second swept dimension must differ from the first and exist, got {dimB}");
        if (center is not null && center.Length != latent) throw new ArgumentException($"center has {center.Length} values for {latent} latent dimensions");
        if (spread is not null && spread.Length != latent) throw new ArgumentException($"spread has {spread.Length} values for {latent} latent dimensions");

        var coordinates = Coordinates(grid);
        int rows = dimB < 0 ? 1 : grid, count = rows * grid;
        var z = new float[(long)count * latent];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < grid; c++)
            {
                var point = z.AsSpan((r * grid + c) * latent, latent);
                for (int u = 0; u < latent; u++) point[u] = (float)(center?[u] ?? 0);
                point[dimA] = (float)((center?[dimA] ?? 0) + (spread?[dimA] ?? 1) * coordinates[c]);
                if (dimB >= 0) point[dimB] = (float)((center?[dimB] ?? 0) + (spread?[dimB] ?? 1) * coordinates[grid - 1 - r]);
            }

        int features = input.Features;
        var labels = model.IsConditional ? Enumerable.Repeat(label, Math.Min(count, 500)).ToArray() : [];
        var means = new float[(long)count * features];
        const int batch = 500;
        model.Eval();
        var arena = new TensorArena();
        using (GradMode.NoGrad())
            for (int start = 0; start < count; start += batch)
            {
                int b = Math.Min(batch, count - start);
                using (arena.Step())
                {
                    var zt = Tensor.Zeros(b, latent);
                    z.AsSpan(start * latent, b * latent).CopyTo(zt.Data);
                    var mean = model.Likelihood.Mean(model.Decode(zt, model.IsConditional ? labels.AsSpan(0, b) : default));
                    mean.Data.CopyTo(means.AsSpan(start * features, b * features));
                }
            }
        return ImageGrid.Compose(means, count, input.Channels, input.Height, input.Width, grid, padding, 1f, scale);
    }
}
