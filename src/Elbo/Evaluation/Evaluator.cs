using System.Diagnostics;
using Elbo.Data;
using Elbo.Distributions;
using Elbo.Engine.Autograd;
using Elbo.Models;

namespace Elbo.Evaluation;

/// <summary>
/// Evaluates a trained model on a data set (the test split): the −ELBO and its terms, the importance-sampled
/// log-likelihood with q(z|x) (IWAE) and with the prior as proposals, the posterior-collapse report (KL per dimension,
/// active units) and, on request, the amortization gap. See docs/evaluation.md for what each number means.
/// </summary>
public static class Evaluator
{
    /// <summary>Runs the evaluation on the first <see cref="EvalOptions.Count"/> examples of <paramref name="data"/>
    /// (all when null). <paramref name="progress"/> receives progress lines (about every 10 % of each phase).</summary>
    public static EvalResult Run(LatentVariableModel model, Dataset data, EvalOptions options, IProgress<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (data.Features != model.Input.Features)
            throw new ArgumentException($"the data {data.Name} ({data.Channels}x{data.Height}x{data.Width}) do not match the model ({model.Input})");
        var clock = Stopwatch.StartNew();
        int n = Math.Min(options.Count ?? data.Count, data.Count);
        if (n < 1) throw new ArgumentException($"the data {data.Name} have no examples");
        model.Eval();

        var codes = LatentCodes.Encode(model, data, n);
        var variance = codes.VarianceOfMu();
        int active = ActiveUnits.Count(variance, options.ActiveThreshold);
        var klPerDim = codes.KlPerDimension();
        double kl = 0;
        foreach (double v in klPerDim) kl += v;

        double reconstruction;
        ImportanceSampledResult? importance = null;
        if (!codes.Family.HasDensity)
            reconstruction = ReconstructionAtMean(model, data, codes);
        else
        {
            var q = ImportanceSampling.Estimate(model, data, codes, options.K, Proposal.Posterior, new Generator(options.Seed),
                options.RowsPerCall, progress, $"importance sampling with q(z|x), k={options.K}");
            reconstruction = Mean(q.Reconstruction);
            var (logPx, se) = LogWeights.MeanAndStandardError(q.LogPx);
            importance = new ImportanceSampledResult { NegLogPx = -logPx, StandardError = se, ElboGap = reconstruction + kl - -logPx };
        }

        var prior = ImportanceSampling.Estimate(model, data, codes, options.K, Proposal.Prior, new Generator(options.Seed + 1),
            options.RowsPerCall, progress, $"importance sampling with p(z), k={options.K}");
        var (priorLogPx, priorSe) = LogWeights.MeanAndStandardError(prior.LogPx);
        double meanEss = Mean(prior.EffectiveSampleSize);

        AmortizationResult? amortization = null;
        if (options.RefineSteps > 0 && codes.Family == PosteriorFamily.DiagonalGaussian)
        {
            var r = PosteriorRefinement.Run(model, data, codes, options.RefineSteps, options.RefineLearningRate,
                new Generator(options.Seed + 2), options.RefineSamples, progress: progress);
            double amortized = Mean(r.AmortizedNegElbo), refined = Mean(r.RefinedNegElbo);
            amortization = new AmortizationResult
            {
                Steps = r.Steps, LearningRate = options.RefineLearningRate, Samples = r.Samples,
                AmortizedNegElbo = amortized, RefinedNegElbo = refined, Gap = amortized - refined,
            };
        }

        return new EvalResult
        {
            Model = model.Kind,
            Deterministic = !codes.Family.HasDensity,
            Examples = n,
            K = options.K,
            NegElbo = reconstruction + kl,
            Reconstruction = reconstruction,
            Kl = kl,
            ImportanceSampled = importance,
            PriorProposal = new PriorProposalResult { NegLogPx = -priorLogPx, StandardError = priorSe, MeanEss = meanEss, EssFraction = meanEss / options.K },
            KlPerDimension = klPerDim,
            VarianceOfMu = variance,
            ActiveUnits = active,
            ActiveThreshold = options.ActiveThreshold,
            Amortization = amortization,
            Seconds = clock.Elapsed.TotalSeconds,
        };
    }

    // −log p(x|z = μ) averaged over the examples: the autoencoder's reconstruction, as in training.
    private static double ReconstructionAtMean(LatentVariableModel model, Dataset data, LatentCodes codes) =>
        Mean(ReconstructionAtLocation(model, data, codes));

    /// <summary>−log p(x|z) at the location of q (μ, or an autoencoder's code) for each example of
    /// <paramref name="codes"/> (the first codes.Count of <paramref name="data"/>), in nats.</summary>
    public static double[] ReconstructionAtLocation(LatentVariableModel model, Dataset data, LatentCodes codes, int batchSize = 500)
    {
        int n = codes.Count, latent = codes.Latent, features = data.Features;
        var result = new double[n];
        var arena = new TensorArena();
        using (GradMode.NoGrad())
            for (int first = 0; first < n; first += batchSize)
            {
                int b = Math.Min(batchSize, n - first);
                var x = Tensor.Zeros(b, features);
                var z = Tensor.Zeros(b, latent);
                for (int i = 0; i < b; i++) data.CopyImage(first + i, x.Data.Slice(i * features, features));
                codes.Mu.AsSpan(first * latent, b * latent).CopyTo(z.Data);
                using (arena.Step())
                {
                    var nll = model.Likelihood.NegLogLikelihood(model.Decode(z, codes.Labels.AsSpan(first, b)), x).Data;
                    for (int i = 0; i < b; i++) result[first + i] = nll[i];
                }
            }
        return result;
    }

    private static double Mean(double[] values)
    {
        double sum = 0;
        foreach (double v in values) sum += v;
        return sum / values.Length;
    }
}
