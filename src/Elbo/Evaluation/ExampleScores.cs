using Elbo.Data;
using Elbo.Models;

namespace Elbo.Evaluation;

/// <summary>
/// How unlikely each example is under a trained model, the basis of <c>elbo score</c> (anomaly detection): its −ELBO
/// (reconstruction averaged over k samples of q plus the closed-form KL, as eval computes it) and, for a model whose
/// posterior has a density, the importance-weighted −log p(x) with k samples of q (Burda et al. 2015), which bounds
/// −log p(x) more tightly than the −ELBO and so ranks examples by the model's own evidence. For a plain autoencoder
/// there is no density: its score is −log p(x|z) at the code, the reconstruction error PyOD's autoencoders rank by.
/// Each array has one value per example, in nats.
/// </summary>
/// <param name="NegElbo">−ELBO per example (for an autoencoder: the reconstruction term at the code).</param>
/// <param name="NegLogPx">The importance-weighted −log p(x) per example; null for a posterior without a density.</param>
public sealed record ExampleScores(double[] NegElbo, double[]? NegLogPx)
{
    /// <summary>The score examples are ranked by: −log p(x) where the model has it, else the −ELBO.</summary>
    public double[] Score => NegLogPx ?? NegElbo;

    /// <summary>What <see cref="Score"/> is, for headers and messages.</summary>
    public string ScoreName => NegLogPx is null ? "neg_elbo" : "neg_log_px";

    /// <summary>Scores the first <paramref name="count"/> examples of <paramref name="data"/> (all when null) with
    /// <paramref name="k"/> importance samples each, noise from <paramref name="seed"/>.</summary>
    public static ExampleScores Compute(LatentVariableModel model, Dataset data, int k, ulong seed, int? count = null,
        IProgress<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        if (data.Features != model.Input.Features)
            throw new ArgumentException($"the data {data.Name} ({data.Shape}) do not match the model ({model.Input})");
        int n = Math.Min(count ?? data.Count, data.Count);
        var codes = LatentCodes.Encode(model, data, n);
        if (!codes.Family.HasDensity) return new ExampleScores(Evaluator.ReconstructionAtLocation(model, data, codes), null);
        var q = ImportanceSampling.Estimate(model, data, codes, k, Proposal.Posterior, new Generator(seed), progress: progress,
            label: $"scoring with k={k}");
        var negElbo = new double[n];
        var negLogPx = new double[n];
        for (int i = 0; i < n; i++)
        {
            negElbo[i] = q.Reconstruction[i] + codes.Family.Kl(codes, i);
            negLogPx[i] = -q.LogPx[i];
        }
        return new ExampleScores(negElbo, negLogPx);
    }
}
