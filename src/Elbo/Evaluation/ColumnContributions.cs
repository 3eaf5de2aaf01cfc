using Elbo.Data;
using Elbo.Engine.Autograd;
using Elbo.Likelihoods;
using Elbo.Models;

namespace Elbo.Evaluation;

/// <summary>Which column makes each row of a table unlikely: −log p(x_c|z) at z = the location of q(z|x), per row and
/// column (0 for a missing value), and the column with the largest term — what <c>elbo score</c> names beside a row's
/// score.</summary>
public static class ColumnContributions
{
    /// <summary>The per-column terms (N × C, row-major, in the likelihood's column order) of the first
    /// <paramref name="count"/> examples of <paramref name="data"/> (all when null).</summary>
    /// <exception cref="ArgumentException">The model does not have the tabular likelihood.</exception>
    public static float[] Compute(LatentVariableModel model, Dataset data, int? count = null, int batchSize = 1000)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        if (model.Likelihood is not TabularLikelihood likelihood)
            throw new ArgumentException($"{model.Kind}: column contributions need the tabular likelihood, not {model.Likelihood.Name}");
        int n = Math.Min(count ?? data.Count, data.Count), columns = likelihood.Layout.Columns, d = data.Features, latent = model.Latent;
        var codes = LatentCodes.Encode(model, data, n);
        var result = new float[(long)n * columns];
        var arena = new TensorArena();
        model.Eval();
        using (GradMode.NoGrad())
            for (int first = 0; first < n; first += batchSize)
            {
                int b = Math.Min(batchSize, n - first);
                using (arena.Step())
                {
                    var x = Tensor.Zeros(b, d);
                    for (int i = 0; i < b; i++) data.CopyImage(first + i, x.Data.Slice(i * d, d));
                    var z = Tensor.Zeros(b, latent);
                    codes.Mu.AsSpan(first * latent, b * latent).CopyTo(z.Data);
                    var terms = likelihood.NegLogLikelihoodPerColumn(model.Decode(z, codes.Labels.AsSpan(first, b)), x);
                    terms.Data.CopyTo(result.AsSpan(first * columns, b * columns));
                }
            }
        return result;
    }

    /// <summary>The index of the largest term of each row of <paramref name="terms"/> (N × <paramref name="columns"/>).</summary>
    public static int[] Largest(ReadOnlySpan<float> terms, int columns)
    {
        int n = terms.Length / columns;
        var result = new int[n];
        for (int i = 0; i < n; i++)
        {
            var row = terms.Slice(i * columns, columns);
            int best = 0;
            for (int c = 1; c < columns; c++)
                if (row[c] > row[best]) best = c;
            result[i] = best;
        }
        return result;
    }
}
