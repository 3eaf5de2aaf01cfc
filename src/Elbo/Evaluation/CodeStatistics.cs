namespace Elbo.Evaluation;

/// <summary>
/// How a model's encodings of a data set sit against the prior N(0, I) — the numbers behind the claim that a VAE's
/// latent space is filled the way the prior is (so z ~ N(0, I) decodes to plausible data) while a plain autoencoder's
/// codes sit wherever training put them (so random z decode to noise). Per dimension u the aggregate code
/// distribution has mean m_u and variance s²_u: for a VAE the aggregate posterior q(z) = mean over x of q(z|x), so
/// m_u = mean of μ_u and s²_u = Var(μ_u) + mean of σ²_u; for an autoencoder the codes themselves.
/// </summary>
public sealed record CodeStatistics
{
    /// <summary>Examples the statistics were taken over.</summary>
    public int Examples { get; init; }

    /// <summary>‖m‖: distance of the codes' mean from the prior's mean 0.</summary>
    public double MeanNorm { get; init; }

    /// <summary>The largest |m_u|.</summary>
    public double MaxAbsMean { get; init; }

    /// <summary>The root mean square of s_u over the dimensions (1 for the prior).</summary>
    public double RmsStd { get; init; }

    /// <summary>The smallest s_u.</summary>
    public double MinStd { get; init; }

    /// <summary>The largest s_u.</summary>
    public double MaxStd { get; init; }

    /// <summary>KL(N(m, diag s²) ‖ N(0, I)) in nats: the moment-matched diagonal Gaussian of the codes against the
    /// prior (0 when the codes match the prior's first two moments).</summary>
    public double KlOfGaussianFit { get; init; }

    /// <summary>The share of examples whose code lies where the prior puts 99 % of its mass (‖z‖² below the χ²
    /// quantile for L degrees of freedom), for μ (VAE) or the code (AE).</summary>
    public double InsidePrior99 { get; init; }

    /// <summary>The statistics of <paramref name="codes"/>.</summary>
    public static CodeStatistics From(LatentCodes codes)
    {
        ArgumentNullException.ThrowIfNull(codes);
        int n = codes.Count, l = codes.Latent;
        var mean = codes.MeanOfMu();
        var variance = codes.VarianceOfMu();
        var spread = codes.Family.MeanVariance(codes);       // Var z = Var μ + E σ² (law of total variance)
        for (int u = 0; u < l; u++) variance[u] += spread[u];
        double norm2 = 0, maxAbs = 0, sumVar = 0, minStd = double.PositiveInfinity, maxStd = 0, kl = 0;
        for (int u = 0; u < l; u++)
        {
            norm2 += mean[u] * mean[u];
            maxAbs = Math.Max(maxAbs, Math.Abs(mean[u]));
            double v = Math.Max(variance[u], 1e-300), s = Math.Sqrt(v);
            sumVar += v;
            minStd = Math.Min(minStd, s);
            maxStd = Math.Max(maxStd, s);
            kl += 0.5 * (v + mean[u] * mean[u] - 1 - Math.Log(v));
        }
        double threshold = ChiSquareQuantile99(l);
        int inside = 0;
        for (int i = 0; i < n; i++)
        {
            double r2 = 0;
            var mu = codes.MuOf(i);
            for (int u = 0; u < l; u++) r2 += (double)mu[u] * mu[u];
            if (r2 <= threshold) inside++;
        }
        return new CodeStatistics
        {
            Examples = n, MeanNorm = Math.Sqrt(norm2), MaxAbsMean = maxAbs, RmsStd = Math.Sqrt(sumVar / l),
            MinStd = minStd, MaxStd = maxStd, KlOfGaussianFit = kl, InsidePrior99 = (double)inside / n,
        };
    }

    /// <summary>The 0.99 quantile of χ² with <paramref name="degrees"/> degrees of freedom (Wilson–Hilferty, exact
    /// enough here: within 0.5 % for 2 degrees and better above).</summary>
    public static double ChiSquareQuantile99(int degrees)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(degrees, 1);
        if (degrees == 1) return 6.634896601;
        if (degrees == 2) return -2 * Math.Log(0.01);
        const double z99 = 2.3263478740408408;
        double k = degrees, a = 2.0 / (9 * k);
        double c = 1 - a + z99 * Math.Sqrt(a);
        return k * c * c * c;
    }
}
