namespace Elbo.Evaluation;

/// <summary>What <see cref="Evaluator.Run"/> computes and how.</summary>
public sealed record EvalOptions
{
    /// <summary>Importance samples per example for both log p(x) estimates (default 1000).</summary>
    public int K { get; init; } = 1000;

    /// <summary>Evaluate the first Count test examples (null: all).</summary>
    public int? Count { get; init; }

    /// <summary>Adam steps of the per-example refinement of q (0: the amortization gap is skipped).</summary>
    public int RefineSteps { get; init; }

    /// <summary>The refinement's learning rate.</summary>
    public double RefineLearningRate { get; init; } = 1e-2;

    /// <summary>z samples per example with which the amortized and refined ELBO are compared (common random numbers).</summary>
    public int RefineSamples { get; init; } = 8;

    /// <summary>Seed of the noise of every estimate (the same seed gives the same numbers).</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>Rows (z samples) per decoder call in the importance sampling.</summary>
    public int RowsPerCall { get; init; } = 2048;

    /// <summary>A latent dimension is active when the variance over the data of μ_u exceeds this (Burda et al. 2015).</summary>
    public double ActiveThreshold { get; init; } = ActiveUnits.DefaultThreshold;

    /// <summary>Throws an ArgumentException naming the first invalid option.</summary>
    public void Validate()
    {
        if (K <= 0) throw new ArgumentException($"--k must be positive, got {K}");
        if (Count is <= 0) throw new ArgumentException($"--n must be positive, got {Count}");
        if (RefineSteps < 0) throw new ArgumentException($"--refine-steps must not be negative, got {RefineSteps}");
        if (!(RefineLearningRate > 0) || double.IsInfinity(RefineLearningRate))
            throw new ArgumentException($"--refine-lr must be a positive number, got {RefineLearningRate}");
        if (RefineSamples <= 0) throw new ArgumentException($"refine samples must be positive, got {RefineSamples}");
        if (RowsPerCall <= 0) throw new ArgumentException($"rows per call must be positive, got {RowsPerCall}");
        if (!(ActiveThreshold >= 0)) throw new ArgumentException($"the active-unit threshold must not be negative, got {ActiveThreshold}");
    }
}
