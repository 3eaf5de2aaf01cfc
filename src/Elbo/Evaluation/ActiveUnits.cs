namespace Elbo.Evaluation;

/// <summary>Active latent units (Burda et al. 2015): dimension u is active when the variance over the data of
/// E_q[z_u] = μ_u exceeds a threshold (0.01 by convention) — an inactive one gives the same q for every x, so the
/// decoder cannot use it (posterior collapse).</summary>
public static class ActiveUnits
{
    /// <summary>The conventional threshold, 0.01.</summary>
    public const double DefaultThreshold = 0.01;

    /// <summary>How many of <paramref name="varianceOfMu"/> exceed <paramref name="threshold"/>.</summary>
    public static int Count(ReadOnlySpan<double> varianceOfMu, double threshold = DefaultThreshold)
    {
        int active = 0;
        foreach (double v in varianceOfMu) if (v > threshold) active++;
        return active;
    }

    /// <summary>The active units of <paramref name="codes"/>.</summary>
    public static int Count(LatentCodes codes, double threshold = DefaultThreshold)
    {
        ArgumentNullException.ThrowIfNull(codes);
        return Count(codes.VarianceOfMu(), threshold);
    }
}
