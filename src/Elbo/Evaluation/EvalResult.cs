using System.Text.Json.Serialization;

namespace Elbo.Evaluation;

/// <summary>
/// The numbers of <c>elbo eval</c>, as written to <c>eval.json</c> (camelCase names, read by the HTML report). All in
/// nats per example, averaged over the <see cref="Examples"/> test examples. For a plain autoencoder there is no
/// q(z|x): <see cref="NegElbo"/> is the reconstruction at z = μ, <see cref="Kl"/> is 0, <see cref="ImportanceSampled"/>
/// and <see cref="Amortization"/> are null and <see cref="KlPerDimension"/> is all zeros.
/// </summary>
public sealed record EvalResult
{
    /// <summary>The model's registry name (mlp, conv, ae).</summary>
    [JsonPropertyName("model")] public string Model { get; init; } = "";

    /// <summary>Whether the model is a plain autoencoder (no q, so no ELBO).</summary>
    [JsonPropertyName("deterministic")] public bool Deterministic { get; init; }

    /// <summary>How many test examples were evaluated.</summary>
    [JsonPropertyName("examples")] public int Examples { get; init; }

    /// <summary>Importance samples per example.</summary>
    [JsonPropertyName("k")] public int K { get; init; }

    /// <summary>−ELBO = reconstruction + KL.</summary>
    [JsonPropertyName("negElbo")] public double NegElbo { get; init; }

    /// <summary>E_q[−log p(x|z)], averaged over the k samples of q per example (for an autoencoder: at z = μ).</summary>
    [JsonPropertyName("reconstruction")] public double Reconstruction { get; init; }

    /// <summary>KL(q(z|x) ‖ N(0, I)), closed form.</summary>
    [JsonPropertyName("kl")] public double Kl { get; init; }

    /// <summary>The IWAE estimate with q(z|x) as proposal (null for an autoencoder).</summary>
    [JsonPropertyName("importanceSampled")] public ImportanceSampledResult? ImportanceSampled { get; init; }

    /// <summary>The estimate with the prior as proposal.</summary>
    [JsonPropertyName("priorProposal")] public PriorProposalResult PriorProposal { get; init; } = new();

    /// <summary>KL per latent dimension, in dimension order (zeros for an autoencoder).</summary>
    [JsonPropertyName("klPerDimension")] public double[] KlPerDimension { get; init; } = [];

    /// <summary>Variance over the examples of μ_u, in dimension order.</summary>
    [JsonPropertyName("varianceOfMu")] public double[] VarianceOfMu { get; init; } = [];

    /// <summary>Dimensions whose variance of μ exceeds <see cref="ActiveThreshold"/>.</summary>
    [JsonPropertyName("activeUnits")] public int ActiveUnits { get; init; }

    /// <summary>The active-unit threshold.</summary>
    [JsonPropertyName("activeThreshold")] public double ActiveThreshold { get; init; }

    /// <summary>The refinement of q per example (null when skipped or for an autoencoder).</summary>
    [JsonPropertyName("amortization")] public AmortizationResult? Amortization { get; init; }

    /// <summary>Wall-clock time of the evaluation.</summary>
    [JsonPropertyName("seconds")] public double Seconds { get; init; }
}

/// <summary>−log p̂(x) with q(z|x) as proposal (IWAE, k samples).</summary>
public sealed record ImportanceSampledResult
{
    /// <summary>Mean over the examples of −log p̂(x) (an upper bound on −log p(x) in expectation).</summary>
    [JsonPropertyName("negLogPx")] public double NegLogPx { get; init; }

    /// <summary>Standard deviation over the examples / √N.</summary>
    [JsonPropertyName("standardError")] public double StandardError { get; init; }

    /// <summary>(−ELBO) − (−log p̂(x)): how far q is from the true posterior.</summary>
    [JsonPropertyName("elboGap")] public double ElboGap { get; init; }
}

/// <summary>−log p̂(x) with the prior N(0, I) as proposal, and how many samples effectively counted.</summary>
public sealed record PriorProposalResult
{
    /// <summary>Mean over the examples of −log p̂(x).</summary>
    [JsonPropertyName("negLogPx")] public double NegLogPx { get; init; }

    /// <summary>Standard deviation over the examples / √N.</summary>
    [JsonPropertyName("standardError")] public double StandardError { get; init; }

    /// <summary>Mean over the examples of (Σ w)² / Σ w².</summary>
    [JsonPropertyName("meanEss")] public double MeanEss { get; init; }

    /// <summary><see cref="MeanEss"/> / k.</summary>
    [JsonPropertyName("essFraction")] public double EssFraction { get; init; }
}

/// <summary>The amortization gap: −ELBO before and after optimizing q per example, decoder frozen.</summary>
public sealed record AmortizationResult
{
    /// <summary>Adam steps per example.</summary>
    [JsonPropertyName("steps")] public int Steps { get; init; }

    /// <summary>The refinement's learning rate.</summary>
    [JsonPropertyName("learningRate")] public double LearningRate { get; init; }

    /// <summary>Fixed z samples per example both ELBOs are evaluated with.</summary>
    [JsonPropertyName("samples")] public int Samples { get; init; }

    /// <summary>−ELBO at the encoder's q, with the fixed noise.</summary>
    [JsonPropertyName("amortizedNegElbo")] public double AmortizedNegElbo { get; init; }

    /// <summary>−ELBO at the refined q, with the same noise.</summary>
    [JsonPropertyName("refinedNegElbo")] public double RefinedNegElbo { get; init; }

    /// <summary>Amortized −ELBO − refined −ELBO (≥ 0).</summary>
    [JsonPropertyName("gap")] public double Gap { get; init; }
}
