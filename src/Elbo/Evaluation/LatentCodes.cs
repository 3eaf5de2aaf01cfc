using Elbo.Data;
using Elbo.Engine.Autograd;
using Elbo.Models;

namespace Elbo.Evaluation;

/// <summary>
/// The encoder's output for a set of examples: μ and log σ² of q(z|x) per example (N × L, row-major) and the labels.
/// For a plain autoencoder μ is its code and log σ² is null. The basis of the collapse report, the latent scatter,
/// traversals and <c>elbo encode</c>.
/// </summary>
public sealed class LatentCodes
{
    private LatentCodes(float[] mu, float[]? logVar, int[] labels, int latent)
    {
        Mu = mu;
        LogVar = logVar;
        Labels = labels;
        Latent = latent;
        Count = labels.Length;
    }

    /// <summary>μ per example, N × L row-major.</summary>
    public float[] Mu { get; }

    /// <summary>log σ² per example, N × L row-major (null for an autoencoder).</summary>
    public float[]? LogVar { get; }

    /// <summary>The label of each example (-1 when there is none).</summary>
    public int[] Labels { get; }

    /// <summary>The latent dimension L.</summary>
    public int Latent { get; }

    /// <summary>The number of examples N.</summary>
    public int Count { get; }

    /// <summary>Encodes the first <paramref name="count"/> examples of <paramref name="data"/> (all when null) in
    /// batches of <paramref name="batchSize"/>, in eval mode without gradients.</summary>
    public static LatentCodes Encode(Vae model, ImageDataset data, int? count = null, int batchSize = 500)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        int n = Math.Min(count ?? data.Count, data.Count);
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1, nameof(count));
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        int latent = model.Latent, features = data.Features;
        var mu = new float[(long)n * latent];
        float[]? logVar = model.Deterministic ? null : new float[(long)n * latent];
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
                    var (m, lv) = model.Encode(x);
                    m.Data.CopyTo(mu.AsSpan(start * latent, b * latent));
                    lv?.Data.CopyTo(logVar.AsSpan(start * latent, b * latent));
                }
            }
        return new LatentCodes(mu, logVar, labels, latent);
    }

    /// <summary>Wraps codes computed elsewhere (μ and log σ² N × L, labels N).</summary>
    public static LatentCodes FromArrays(float[] mu, float[]? logVar, int[] labels, int latent)
    {
        ArgumentNullException.ThrowIfNull(mu);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentOutOfRangeException.ThrowIfLessThan(latent, 1);
        if (mu.Length != (long)labels.Length * latent || (logVar is not null && logVar.Length != mu.Length))
            throw new ArgumentException($"latent codes: {mu.Length} means and {logVar?.Length} log-variances for {labels.Length} examples of {latent} dimensions");
        return new LatentCodes(mu, logVar, labels, latent);
    }

    /// <summary>μ of example <paramref name="index"/>.</summary>
    public ReadOnlySpan<float> MuOf(int index) => Mu.AsSpan(index * Latent, Latent);

    /// <summary>log σ² of example <paramref name="index"/> (empty for an autoencoder).</summary>
    public ReadOnlySpan<float> LogVarOf(int index) => LogVar is null ? default : LogVar.AsSpan(index * Latent, Latent);

    /// <summary>KL(q(z_u|x) ‖ N(0, 1)) per latent dimension u, averaged over the examples, in nats:
    /// ½ (μ² + σ² − 1 − log σ²). All zeros for an autoencoder (it has no q).</summary>
    public double[] KlPerDimension()
    {
        var kl = new double[Latent];
        if (LogVar is null) return kl;
        for (int i = 0; i < Count; i++)
            for (int u = 0; u < Latent; u++)
            {
                double m = Mu[i * Latent + u], lv = LogVar[i * Latent + u];
                kl[u] += 0.5 * (m * m + Math.Exp(lv) - 1 - lv);
            }
        for (int u = 0; u < Latent; u++) kl[u] /= Count;
        return kl;
    }

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

    /// <summary>The dimensions ordered by decreasing KL (the most informative first); for an autoencoder, by
    /// decreasing variance of the code.</summary>
    public int[] DimensionsByInformation()
    {
        var score = LogVar is null ? VarianceOfMu() : KlPerDimension();
        var order = Enumerable.Range(0, Latent).ToArray();
        Array.Sort(order, (a, b) => score[b].CompareTo(score[a]) is var c && c != 0 ? c : a.CompareTo(b));
        return order;
    }
}
