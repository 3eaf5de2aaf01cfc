using Elbo.Data;
using Elbo.Distributions;
using Elbo.Engine.Autograd;
using Elbo.Models;

namespace Elbo.Evaluation;

/// <summary>
/// The encoder's output for a set of examples, as arrays: the parameters of q(z|x) per example (each N × L,
/// row-major, in the order of <see cref="PosteriorFamily.ParameterNames"/>: μ and log σ² for a VAE, the code alone
/// for a plain autoencoder), the posterior family they belong to, and the labels. The basis of the collapse report,
/// the latent scatter, traversals and <c>elbo encode</c>; what the codes support is asked of <see cref="Family"/>.
/// </summary>
public sealed class LatentCodes
{
    private readonly float[][] _parameters;

    private LatentCodes(PosteriorFamily family, float[][] parameters, int[] labels, int latent)
    {
        Family = family;
        _parameters = parameters;
        Labels = labels;
        Latent = latent;
        Count = labels.Length;
    }

    /// <summary>The kind of posterior the codes parameterize.</summary>
    public PosteriorFamily Family { get; }

    /// <summary>The location of q per example (μ, or an autoencoder's code), N × L row-major.</summary>
    public float[] Mu => _parameters[0];

    /// <summary>Parameter <paramref name="p"/> (in <see cref="PosteriorFamily.ParameterNames"/> order), N × L.</summary>
    public float[] Parameter(int p) => _parameters[p];

    /// <summary>The label of each example (-1 when there is none).</summary>
    public int[] Labels { get; }

    /// <summary>The latent dimension L.</summary>
    public int Latent { get; }

    /// <summary>The number of examples N.</summary>
    public int Count { get; }

    /// <summary>Encodes the first <paramref name="count"/> examples of <paramref name="data"/> (all when null) in
    /// batches of <paramref name="batchSize"/>, in eval mode without gradients.</summary>
    public static LatentCodes Encode(LatentVariableModel model, Dataset data, int? count = null, int batchSize = 500)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        int n = Math.Min(count ?? data.Count, data.Count);
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1, nameof(count));
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        int latent = model.Latent, features = data.Features;
        var family = model.Posterior;
        var parameters = new float[family.ParameterNames.Count][];
        for (int p = 0; p < parameters.Length; p++) parameters[p] = new float[(long)n * latent];
        var labels = new int[n];
        model.Eval();
        var arena = new TensorArena();
        using (GradMode.NoGrad())
            for (int start = 0; start < n; start += batchSize)
            {
                int b = Math.Min(batchSize, n - start);
                using (arena.Step())
                {
                    var x = Tensor.Zeros(b, features);
                    for (int i = 0; i < b; i++)
                    {
                        data.CopyImage(start + i, x.Data.Slice(i * features, features));
                        labels[start + i] = data.Label(start + i);
                    }
                    var q = model.Encode(x, labels.AsSpan(start, b)).Parameters;
                    for (int p = 0; p < parameters.Length; p++) q[p].Data.CopyTo(parameters[p].AsSpan(start * latent, b * latent));
                }
            }
        return new LatentCodes(family, parameters, labels, latent);
    }

    /// <summary>A diagonal Gaussian's codes computed elsewhere: μ and log σ² (N × L each) and the labels (N).</summary>
    public static LatentCodes Gaussian(float[] mu, float[] logVar, int[] labels, int latent) =>
        FromArrays(PosteriorFamily.DiagonalGaussian, [mu, logVar], labels, latent);

    /// <summary>An autoencoder's codes computed elsewhere (N × L) and the labels (N).</summary>
    public static LatentCodes PointMass(float[] code, int[] labels, int latent) =>
        FromArrays(PosteriorFamily.PointMass, [code], labels, latent);

    /// <summary>Wraps codes computed elsewhere: <paramref name="parameters"/> in <paramref name="family"/>'s order,
    /// each N × L, and the labels (N).</summary>
    public static LatentCodes FromArrays(PosteriorFamily family, float[][] parameters, int[] labels, int latent)
    {
        ArgumentNullException.ThrowIfNull(family);
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentOutOfRangeException.ThrowIfLessThan(latent, 1);
        if (parameters.Length != family.ParameterNames.Count)
            throw new ArgumentException($"latent codes: a {family.Name} has {family.ParameterNames.Count} parameters, got {parameters.Length}");
        foreach (var p in parameters)
            if (p is null || p.Length != (long)labels.Length * latent)
                throw new ArgumentException($"latent codes: {p?.Length} values for {labels.Length} examples of {latent} dimensions");
        return new LatentCodes(family, parameters, labels, latent);
    }

    /// <summary>μ (the location) of example <paramref name="index"/>.</summary>
    public ReadOnlySpan<float> MuOf(int index) => Mu.AsSpan(index * Latent, Latent);

    /// <summary>Parameter <paramref name="p"/> of example <paramref name="index"/>.</summary>
    public ReadOnlySpan<float> ParameterOf(int p, int index) => _parameters[p].AsSpan(index * Latent, Latent);

    /// <summary>log σ² of example <paramref name="index"/>, for the diagonal Gaussian (its second parameter).</summary>
    public ReadOnlySpan<float> LogVarOf(int index) => ParameterOf(1, index);

    /// <summary>KL(q(z_u|x) ‖ N(0, 1)) per latent dimension u, averaged over the examples, in nats (all zeros for a
    /// posterior without a density: it has no KL).</summary>
    public double[] KlPerDimension() => Family.KlPerDimension(this);

    /// <summary>The mean over the examples of μ per dimension.</summary>
    public double[] MeanOfMu()
    {
        var mean = new double[Latent];
        for (int i = 0; i < Count; i++)
            for (int u = 0; u < Latent; u++) mean[u] += Mu[i * Latent + u];
        for (int u = 0; u < Latent; u++) mean[u] /= Count;
        return mean;
    }

    /// <summary>The variance over the examples of μ = E_q[z] per dimension (population variance, divided by N) —
    /// the activity statistic of Burda et al. (2015).</summary>
    public double[] VarianceOfMu()
    {
        var mean = MeanOfMu();
        var variance = new double[Latent];
        for (int i = 0; i < Count; i++)
            for (int u = 0; u < Latent; u++)
            {
                double d = Mu[i * Latent + u] - mean[u];
                variance[u] += d * d;
            }
        for (int u = 0; u < Latent; u++) variance[u] /= Count;
        return variance;
    }

    /// <summary>The per-dimension score the family ranks dimensions by (<see cref="PosteriorFamily.InformationName"/>:
    /// KL for a VAE, the variance of the code for an autoencoder).</summary>
    public double[] Information() => Family.Information(KlPerDimension(), VarianceOfMu());

    /// <summary>The dimensions ordered by decreasing <see cref="Information"/> (the most informative first).</summary>
    public int[] DimensionsByInformation() => ByDecreasing(Information());

    /// <summary>The indices of <paramref name="score"/> ordered by decreasing score, ties by index: the ranking of
    /// latent dimensions by a per-dimension score (the KL of eval.json, say).</summary>
    public static int[] ByDecreasing(IReadOnlyList<double> score)
    {
        ArgumentNullException.ThrowIfNull(score);
        var order = Enumerable.Range(0, score.Count).ToArray();
        Array.Sort(order, (a, b) => score[b].CompareTo(score[a]) is var c && c != 0 ? c : a.CompareTo(b));
        return order;
    }
}
