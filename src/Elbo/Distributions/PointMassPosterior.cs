using Elbo.Objectives;

namespace Elbo.Distributions;

/// <summary>A point mass at the code c(x), (B, L): a plain autoencoder's "posterior". Sampling returns the code; it has
/// no density, so no KL and no log q.</summary>
public sealed class PointMassPosterior : Posterior
{
    /// <summary>The point mass at <paramref name="code"/> (B, L).</summary>
    public PointMassPosterior(Tensor code)
    {
        ArgumentNullException.ThrowIfNull(code);
        if (code.Rank != 2) throw new ArgumentException($"point mass: the code {code.ShapeString} must be (B, L)");
        Code = code;
    }

    /// <summary>The code, (B, L).</summary>
    public Tensor Code { get; }

    /// <inheritdoc/>
    public override Tensor Location => Code;

    /// <summary>[code].</summary>
    public override IReadOnlyList<Tensor> Parameters => [Code];

    /// <inheritdoc/>
    public override PosteriorFamily Family => PosteriorFamily.PointMass;

    /// <summary>The code itself (ε is ignored: there is nothing to sample).</summary>
    public override Tensor Rsample(Tensor eps) => Code;

    /// <inheritdoc/>
    public override Tensor LogProb(Tensor z) => throw NoDensity("log q(z|x)");

    /// <inheritdoc/>
    public override Tensor KlPerDimension(KlEstimator estimator, Tensor z, Tensor eps) => throw NoDensity("the KL to the prior");
}
