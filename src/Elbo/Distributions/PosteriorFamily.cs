using Elbo.Evaluation;

namespace Elbo.Distributions;

/// <summary>
/// A kind of posterior and what it supports, for code that holds encodings as arrays (latent codes, evaluation,
/// plots) rather than tensors. <see cref="DiagonalGaussian"/> is the VAE's q(z|x) = N(μ, diag σ²); <see cref="PointMass"/>
/// is a plain autoencoder's code, a q with no spread and no density: no KL, no importance sampling with q, no
/// refinement. The per-dimension statistics that rank latent dimensions live here too, so that callers never ask
/// which model they have.
/// </summary>
public abstract class PosteriorFamily
{
    /// <summary>The diagonal Gaussian of a VAE.</summary>
    public static PosteriorFamily DiagonalGaussian { get; } = new DiagonalGaussianFamily();

    /// <summary>The point mass of a plain autoencoder.</summary>
    public static PosteriorFamily PointMass { get; } = new PointMassFamily();

    /// <summary>"diagonal Gaussian", "point mass".</summary>
    public abstract string Name { get; }

    /// <summary>Whether q has a density: a KL to the prior, log q(z|x), samples that differ from the location.</summary>
    public abstract bool HasDensity { get; }

    /// <summary>The parameters stored per example and dimension, in order: ["mu", "logvar"] or ["code"]-like names
    /// as CSV column stems.</summary>
    public abstract IReadOnlyList<string> ParameterNames { get; }

    /// <summary>What the location is called in prose: "μ" or "code".</summary>
    public abstract string LocationName { get; }

    /// <summary>What ranks the latent dimensions by how much they carry: "KL" or "variance of the code".</summary>
    public abstract string InformationName { get; }

    /// <summary>The per-dimension score the dimensions are ranked by (<see cref="InformationName"/>), from the
    /// batch-averaged KL per dimension and the variance of the location over the examples.</summary>
    public abstract double[] Information(double[] klPerDimension, double[] varianceOfLocation);

    /// <summary>KL(q(z_u|x) ‖ N(0, 1)) per latent dimension u, averaged over the examples of <paramref name="codes"/>,
    /// in nats; all zeros for a family without a density (it has no KL).</summary>
    public abstract double[] KlPerDimension(LatentCodes codes);

    /// <summary>KL(q(z|x) ‖ N(0, I)) of example <paramref name="index"/> of <paramref name="codes"/>, summed over the
    /// latent dimensions, in nats (0 for a posterior without a density).</summary>
    public abstract double Kl(LatentCodes codes, int index);

    /// <summary>E_x[Var_q(z_u|x)] per latent dimension u over the examples of <paramref name="codes"/> (the mean of σ²
    /// for a Gaussian, 0 for a point mass): what q's own spread adds to the variance of the aggregate posterior.</summary>
    public abstract double[] MeanVariance(LatentCodes codes);

    /// <summary>Draws z ~ q(z|x) for example <paramref name="index"/> of <paramref name="codes"/> from standard normal
    /// <paramref name="eps"/> (L) into <paramref name="z"/> (L), and returns log p(z) − log q(z|x), the proposal part
    /// of an importance weight. Only for a family with a density.</summary>
    public abstract double Draw(LatentCodes codes, int index, ReadOnlySpan<float> eps, Span<float> z);

    /// <summary>The <see cref="Name"/>.</summary>
    public override string ToString() => Name;

    private sealed class DiagonalGaussianFamily : PosteriorFamily
    {
        public override string Name => "diagonal Gaussian";
        public override bool HasDensity => true;
        public override IReadOnlyList<string> ParameterNames { get; } = ["mu", "logvar"];
        public override string LocationName => "μ";
        public override string InformationName => "KL";
        public override double[] Information(double[] klPerDimension, double[] varianceOfLocation) => klPerDimension;

        // ½ (μ² + σ² − 1 − log σ²) per dimension, averaged over the examples
        public override double[] KlPerDimension(LatentCodes codes)
        {
            int latent = codes.Latent;
            var kl = new double[latent];
            for (int i = 0; i < codes.Count; i++)
            {
                var mu = codes.MuOf(i);
                var logVar = codes.LogVarOf(i);
                for (int u = 0; u < latent; u++)
                {
                    double m = mu[u], lv = logVar[u];
                    kl[u] += 0.5 * (m * m + Math.Exp(lv) - 1 - lv);
                }
            }
            for (int u = 0; u < latent; u++) kl[u] /= codes.Count;
            return kl;
        }

        public override double Kl(LatentCodes codes, int index)
        {
            var mu = codes.MuOf(index);
            var logVar = codes.LogVarOf(index);
            double kl = 0;
            for (int u = 0; u < mu.Length; u++)
            {
                double m = mu[u], lv = logVar[u];
                kl += 0.5 * (m * m + Math.Exp(lv) - 1 - lv);
            }
            return kl;
        }

        public override double[] MeanVariance(LatentCodes codes)
        {
            var mean = new double[codes.Latent];
            for (int i = 0; i < codes.Count; i++)
            {
                var logVar = codes.LogVarOf(i);
                for (int u = 0; u < mean.Length; u++) mean[u] += Math.Exp(logVar[u]);
            }
            for (int u = 0; u < mean.Length; u++) mean[u] /= codes.Count;
            return mean;
        }

        public override double Draw(LatentCodes codes, int index, ReadOnlySpan<float> eps, Span<float> z)
        {
            var mu = codes.MuOf(index);
            var logVar = codes.LogVarOf(index);
            double logPriorMinusQ = 0;
            // log N(z;0,I) − log N(z;μ,σ²) = Σ_u ½(ε² − z² + log σ²); the log 2π terms cancel
            for (int u = 0; u < mu.Length; u++)
            {
                double zu = mu[u] + Math.Exp(0.5 * logVar[u]) * eps[u];
                z[u] = (float)zu;
                logPriorMinusQ += 0.5 * ((double)eps[u] * eps[u] - zu * zu + logVar[u]);
            }
            return logPriorMinusQ;
        }
    }

    private sealed class PointMassFamily : PosteriorFamily
    {
        public override string Name => "point mass";
        public override bool HasDensity => false;
        public override IReadOnlyList<string> ParameterNames { get; } = ["mu"];
        public override string LocationName => "code";
        public override string InformationName => "variance of the code";
        public override double[] Information(double[] klPerDimension, double[] varianceOfLocation) => varianceOfLocation;
        public override double[] KlPerDimension(LatentCodes codes) => new double[codes.Latent];
        public override double Kl(LatentCodes codes, int index) => 0;
        public override double[] MeanVariance(LatentCodes codes) => new double[codes.Latent];
        public override double Draw(LatentCodes codes, int index, ReadOnlySpan<float> eps, Span<float> z) =>
            throw new InvalidOperationException("a point mass has no density to importance-sample with");
    }
}
