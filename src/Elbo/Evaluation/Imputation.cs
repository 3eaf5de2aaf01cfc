using Elbo.Data;
using Elbo.Data.Tables;
using Elbo.Engine.Autograd;
using Elbo.Models;

namespace Elbo.Evaluation;

/// <summary>
/// Fills what is missing in an example from what was observed, by importance sampling as MIWAE does (Mattei &amp;
/// Frellsen 2019, "MIWAE: Deep Generative Modelling and Imputation of Incomplete Data Sets"): with z_k ~ q(z|x_o)
/// (k draws, the encoder seeing the observed values and the mask) and weights w_k ∝ p(x_o|z_k) p(z_k) / q(z_k|x_o),
/// where p(x_o|z) counts the observed values only (the likelihood's mask), E[x_m | x_o] ≈ Σ_k w̃_k E[x_m | z_k] with
/// w̃ = w / Σ w. This is self-normalized importance sampling of the conditional mean, so it converges to it as k grows;
/// the alternative of Rezende et al. (2014), encoding and decoding in rounds with the missing entries replaced by the
/// last reconstruction, is a Markov chain that needs many rounds and has no such guarantee (MIWAE's experiments show
/// it imputing worse), so Elbo uses the weighted form. The result is the likelihood's mean laid out as
/// <see cref="Likelihoods.Likelihood.Mean"/> returns it, per example; a caller takes from it the entries that were missing.
/// </summary>
public static class Imputation
{
    /// <summary>The importance-weighted E[x | x_o] of the first <paramref name="count"/> examples of
    /// <paramref name="data"/> (all when null) with <paramref name="k"/> draws each: N rows of the likelihood mean's width.</summary>
    /// <exception cref="ArgumentException">The model's posterior has no density (a plain autoencoder: there is nothing
    /// to weight by), or the data do not fit the model.</exception>
    public static float[] ConditionalMeans(LatentVariableModel model, Dataset data, int k, Generator generator, int? count = null,
        IProgress<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(generator);
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        if (!model.Posterior.HasDensity)
            throw new ArgumentException($"{model.Kind}: imputation weighs samples of q(z|x) by their density, and a {model.Posterior.Name} has none");
        if (data.Features != model.Input.Features)
            throw new ArgumentException($"the data {data.Name} ({data.Shape}) do not match the model ({model.Input})");
        int n = Math.Min(count ?? data.Count, data.Count), latent = model.Latent, features = data.Features;
        var codes = LatentCodes.Encode(model, data, n);
        int width = -1;
        float[] result = [];
        var image = new float[features];
        var eps = new float[k * latent];
        var logW = new double[k];
        var weights = new double[k];
        var rowLabels = new int[k];
        var arena = new TensorArena();
        var x = Tensor.Zeros(k, features);
        var z = Tensor.Zeros(k, latent);
        int reported = 0;
        model.Eval();
        using (GradMode.NoGrad())
            for (int i = 0; i < n; i++)
            {
                using (arena.Step())
                {
                    data.CopyImage(i, image);
                    generator.FillNormal(eps);
                    for (int s = 0; s < k; s++)
                    {
                        image.CopyTo(x.Data.Slice(s * features, features));
                        logW[s] = codes.Family.Draw(codes, i, eps.AsSpan(s * latent, latent), z.Data.Slice(s * latent, latent));
                        rowLabels[s] = codes.Labels[i];
                    }
                    var output = model.Decode(z, rowLabels);
                    var nll = model.Likelihood.NegLogLikelihood(output, x).Data;
                    var mean = model.Likelihood.Mean(output);
                    if (width < 0)
                    {
                        width = mean.Dim(1);
                        result = new float[(long)n * width];
                    }
                    double max = double.NegativeInfinity;
                    for (int s = 0; s < k; s++) max = Math.Max(max, logW[s] -= nll[s]);
                    double total = 0;
                    for (int s = 0; s < k; s++) total += weights[s] = Math.Exp(logW[s] - max);
                    var target = result.AsSpan(i * width, width);
                    var means = mean.Data;
                    for (int j = 0; j < width; j++)
                    {
                        double v = 0;
                        for (int s = 0; s < k; s++) v += weights[s] * means[s * width + j];
                        target[j] = (float)(v / total);
                    }
                }
                if (progress != null && ((i + 1) * 10L / n > reported || i + 1 == n))
                {
                    reported = (int)((i + 1) * 10L / n);
                    progress.Report($"imputation (k={k}): {i + 1}/{n} examples ({100L * (i + 1) / n} %)");
                }
            }
        return result;
    }

    /// <summary><paramref name="table"/> (the columns of a model trained on <paramref name="schema"/>) with the missing
    /// cells of its encoded columns filled from <see cref="ConditionalMeans"/> with <paramref name="k"/> draws per row,
    /// in the file's units (categories by their most probable value); observed cells and other columns are kept as
    /// they are.</summary>
    /// <exception cref="DataFormatException">The table's columns are not the schema's, or a numeric cell is not a
    /// number.</exception>
    public static Table FillMissing(LatentVariableModel model, TableSchema schema, Table table, int k, Generator generator,
        IProgress<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(table);
        var rows = TableDataSource.FromTable(table, schema, table.Source);
        var means = ConditionalMeans(model, rows, k, generator, progress: progress);
        var decoded = TableDecoder.Decode(schema, means, rows.Count, new TableDecodeOptions { Probabilities = true });
        return TableDecoder.FillMissing(table, decoded);
    }
}
