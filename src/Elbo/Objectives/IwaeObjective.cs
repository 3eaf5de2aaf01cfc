using Elbo.Models;

namespace Elbo.Objectives;

/// <summary>
/// The importance-weighted bound of Burda et al. (2015): with K samples z_k ~ q(z|x) per example,
/// L_K = log (1/K) Σ_k p(x|z_k) p(z_k) / q(z_k|x), which is the ELBO at K = 1 and rises towards log p(x) as K grows;
/// training minimizes −L_K averaged over the batch. With a KL weight w ≠ 1 (β or warm-up) the prior-to-posterior ratio
/// enters the weights as (p(z)/q(z|x))^w. The loss also reports the standard −ELBO halves from the same samples
/// (the reconstruction averaged over the K samples, the closed-form KL) and −L_K as <see cref="VaeLoss.Bound"/>.
/// </summary>
public sealed class IwaeObjective : Objective
{
    private readonly NoiseBuffers _noise = new();
    private readonly Tensor?[] _ones = new Tensor?[2];
    private int[] _labels = [];

    /// <summary>The bound with <paramref name="samples"/> importance samples per example (≥ 1).</summary>
    public IwaeObjective(int samples)
    {
        if (samples < 1) throw new SettingException("k", $"must be at least 1, got {samples}");
        Samples = samples;
    }

    /// <inheritdoc/>
    public override string Name => "iwae";

    /// <summary>K, the importance samples per example.</summary>
    public int Samples { get; }

    /// <inheritdoc/>
    public override void Check(LatentVariableModel model)
    {
        if (!model.Posterior.HasDensity)
            throw new SettingException("objective", $"iwae needs a posterior with a density, and the {model.Kind} model's is a {model.Posterior.Name}");
    }

    /// <inheritdoc/>
    public override VaeLoss Loss(LatentVariableModel model, Tensor x, float klWeight, NoiseSource noise, ReadOnlySpan<int> labels = default)
    {
        Check(model);
        var q = model.Encode(x, labels);
        int b = x.Dim(0), k = Samples, l = q.Latent, d = x.Dim(1);
        var eps = _noise.Next(noise, b, k, l);
        var z = q.Rsample(eps);                                            // (B, K, L)
        var output = model.Decode(z.Reshape(b * k, l), model.IsConditional ? Repeated(labels, k) : default); // (B·K, P·D)
        var xs = (x.Reshape(b, 1, d) * Ones(k, d)).Reshape(b * k, d);     // each row K times
        var nll = model.Likelihood.NegLogLikelihood(output, xs).Reshape(b, k);
        var logRatio = Distributions.Posterior.LogPrior(z) - q.LogProb(z);  // (B, K): log p(z) − log q(z|x)
        var logW = (klWeight == 1f ? logRatio : logRatio * klWeight) - nll;
        float logK = MathF.Log(k);
        var bound = (logW.LogSumExp(1) - logK).Mean();                     // L_K averaged over the batch
        var objective = -bound;
        using (Engine.Autograd.GradMode.NoGrad())
        {
            var reconstruction = nll.Mean();
            var kl = q.KlPerDimension(KlEstimator.Closed, z, eps).Sum() * (1f / b);
            return new VaeLoss(objective, reconstruction, kl, objective);
        }
    }

    // Each label K times, in the rows' order (example-major), in a buffer kept for the batch size.
    private int[] Repeated(ReadOnlySpan<int> labels, int k)
    {
        if (_labels.Length != labels.Length * k) _labels = new int[labels.Length * k];
        for (int i = 0; i < labels.Length; i++) _labels.AsSpan(i * k, k).Fill(labels[i]);
        return _labels;
    }

    // (1, K, D) ones, kept for the last two batch shapes.
    private Tensor Ones(int k, int d)
    {
        foreach (var t in _ones)
            if (t is not null && t.Dim(1) == k && t.Dim(2) == d) return t;
        _ones[1] = _ones[0];
        _ones[0] = Tensor.Ones(1, k, d);
        return _ones[0]!;
    }
}
