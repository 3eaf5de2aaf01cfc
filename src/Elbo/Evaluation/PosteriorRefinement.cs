using Elbo.Data;
using Elbo.Distributions;
using Elbo.Engine.Autograd;
using Elbo.Engine.Optim;
using Elbo.Models;
using Elbo.Objectives;

namespace Elbo.Evaluation;

/// <summary>
/// The amortization gap (Cremer et al. 2018): how much ELBO the encoder leaves on the table by predicting q(z|x) with
/// one network for all x. Starting from the encoder's (μ, log σ²), each example's parameters are optimized on its own
/// ELBO with Adam while the decoder stays frozen (its parameters do not require gradients during the refinement, so
/// nothing accumulates in them). Every iterate is evaluated with the same fixed noise ε (common random numbers,
/// <c>samples</c> z per example, closed-form KL) and each example keeps its best iterate, so the refined ELBO is never
/// below the amortized one. The optimization steps use fresh noise (<c>trainSamples</c> z per example), so the
/// refinement cannot fit the evaluation noise.
/// </summary>
public static class PosteriorRefinement
{
    /// <summary>Refines q for the examples of <paramref name="codes"/> (the first codes.Count of
    /// <paramref name="data"/>), <paramref name="batchSize"/> examples at a time.</summary>
    public static RefinementResult Run(LatentVariableModel model, Dataset data, LatentCodes codes, int steps, double learningRate,
        Generator generator, int samples = 8, int trainSamples = 2, int batchSize = 100, IProgress<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(codes);
        ArgumentNullException.ThrowIfNull(generator);
        ArgumentOutOfRangeException.ThrowIfNegative(steps);
        ArgumentOutOfRangeException.ThrowIfLessThan(samples, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(trainSamples, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        if (!(learningRate > 0) || double.IsInfinity(learningRate))
            throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, "the learning rate must be a positive number");
        if (codes.Family != PosteriorFamily.DiagonalGaussian)
            throw new ArgumentException($"{model.Kind}: refinement optimizes a diagonal Gaussian q(z|x), and this model's posterior is a {codes.Family.Name}");

        int n = codes.Count, latent = model.Latent, features = data.Features;
        var amortized = new double[n];
        var refined = new double[n];
        var parameters = model.Parameters();
        var requiredGrad = new bool[parameters.Count];
        for (int p = 0; p < parameters.Count; p++)
        {
            requiredGrad[p] = parameters[p].RequiresGrad;
            parameters[p].RequiresGrad = false;     // the decoder (and encoder) stay frozen
        }
        model.Eval();
        try
        {
            var image = new float[features];
            var arena = new TensorArena();
            int reported = 0;
            for (int first = 0; first < n; first += batchSize)
            {
                int b = Math.Min(batchSize, n - first);
                var mu = Tensor.FromArray(codes.Mu.AsSpan(first * latent, b * latent).ToArray(), b, latent);
                var logVar = Tensor.FromArray(codes.Parameter(1).AsSpan(first * latent, b * latent).ToArray(), b, latent);
                mu.RequiresGrad = true;
                logVar.RequiresGrad = true;
                var (xEval, evalLabels) = Replicate(data, codes.Labels, first, b, samples, image);
                var (xTrain, trainLabels) = trainSamples == samples ? (xEval, evalLabels) : Replicate(data, codes.Labels, first, b, trainSamples, image);
                var evalEps = Tensor.Randn(generator, b, samples, latent);
                var trainEps = Tensor.Zeros(b, trainSamples, latent);
                var best = amortized.AsSpan(first, b);
                var optimizer = new Adam([mu, logVar], learningRate);
                for (int step = 0; ; step++)
                {
                    using (arena.Step())
                    using (GradMode.NoGrad())
                    {
                        var value = NegElbo(model, mu, logVar, evalEps, xEval, evalLabels).Data;
                        for (int i = 0; i < b; i++)
                        {
                            if (step == 0) amortized[first + i] = refined[first + i] = value[i];
                            else if (value[i] < refined[first + i]) refined[first + i] = value[i];
                        }
                    }
                    if (step == steps) break;
                    generator.FillNormal(trainEps.Data);
                    optimizer.ZeroGrad();
                    using (arena.Step())
                    {
                        var loss = NegElbo(model, mu, logVar, trainEps, xTrain, trainLabels).Sum();
                        loss.Backward();
                    }
                    optimizer.Step();
                }
                int done = first + b;
                if (progress != null && (done * 10L / n > reported || done == n))
                {
                    reported = (int)(done * 10L / n);
                    progress.Report($"refinement ({steps} steps): {done}/{n} examples ({100L * done / n} %)");
                }
            }
        }
        finally
        {
            for (int p = 0; p < parameters.Count; p++) parameters[p].RequiresGrad = requiredGrad[p];
        }
        return new RefinementResult(steps, samples, amortized, refined);
    }

    /// <summary>−ELBO per example (B): the mean over the M noise samples ε (B, M, L) of −log p(x|μ + σ ε), plus the
    /// closed-form KL. <paramref name="x"/> holds each example's row M times, (B·M, D), and <paramref name="labels"/>
    /// each example's label M times (for a conditional model).</summary>
    public static Tensor NegElbo(LatentVariableModel model, Tensor mu, Tensor logVar, Tensor eps, Tensor x, ReadOnlySpan<int> labels = default)
    {
        int b = mu.Dim(0), m = eps.Dim(1), latent = mu.Dim(1);
        var q = new DiagonalGaussianPosterior(mu, logVar);
        var z = q.Rsample(eps);
        var reconstruction = model.Likelihood.NegLogLikelihood(model.Decode(z.Reshape(b * m, latent), labels), x).Reshape(b, m).Mean(1);
        return reconstruction + q.KlPerDimension(KlEstimator.Closed, z, eps).Sum(1);
    }

    // Examples first..first+b−1, each row repeated m times: (b·m, D), and their labels likewise.
    private static (Tensor X, int[] Labels) Replicate(Dataset data, int[] labels, int first, int b, int m, float[] image)
    {
        int features = data.Features;
        var x = Tensor.Zeros(b * m, features);
        var rowLabels = new int[b * m];
        for (int i = 0; i < b; i++)
        {
            data.CopyImage(first + i, image);
            for (int s = 0; s < m; s++) image.CopyTo(x.Data.Slice((i * m + s) * features, features));
            rowLabels.AsSpan(i * m, m).Fill(labels[first + i]);
        }
        return (x, rowLabels);
    }
}
