namespace Elbo.Data;

/// <summary>
/// The ring: a two-dimensional toy data set, generated in memory, on which a VAE with a 2-D latent can be watched
/// learning a curved manifold. Each point is x = f(z) + ε with z ~ N(0, I₂), f(z) = z/10 + z/‖z‖ (the unit circle,
/// pushed slightly outwards where ‖z‖ is large) and ε ~ N(0, s² I₂), s = <see cref="DefaultNoise"/> by default.
/// The radius of f(z) is 1 + ‖z‖/10, so the mean radius is about 1 + E‖z‖/10 = 1 + √(π/2)/10 ≈ 1.125.
/// The label of a point is the angle sector of its z (and of f(z), which points the same way): 0 for
/// 0°–45°, 1 for 45°–90°, …, 7 for 315°–360° (<see cref="SectorNames"/>), so a scatter coloured by label shows how
/// the angle around the ring is laid out in a model's latent space. Examples are 1×1×2 floats, normalization "none".
/// </summary>
public static class RingData
{
    /// <summary>The <c>--data</c> value.</summary>
    public const string Name = "ring";

    /// <summary>Default sizes of the splits.</summary>
    public const int DefaultTrain = 10_000, DefaultTest = 2_000;

    /// <summary>The default standard deviation s of the noise.</summary>
    public const double DefaultNoise = 0.05;

    /// <summary>The default seed (the test split uses a seed derived from it).</summary>
    public const ulong DefaultSeed = 20140101;

    /// <summary>How many angle sectors the labels distinguish.</summary>
    public const int Sectors = 8;

    /// <summary>The normalization recorded in config.json: the values are used as generated.</summary>
    public const string Normalization = "none";

    /// <summary>The label names: the sectors' angle ranges, "0°–45°" … "315°–360°".</summary>
    public static IReadOnlyList<string> SectorNames { get; } =
        Enumerable.Range(0, Sectors).Select(k => $"{k * 360 / Sectors}°–{(k + 1) * 360 / Sectors}°").ToArray();

    /// <summary>The train and test splits (<paramref name="train"/> and <paramref name="test"/> points), the same
    /// for the same arguments on every machine.</summary>
    public static DatasetSplits Splits(int train = DefaultTrain, int test = DefaultTest, double noise = DefaultNoise, ulong seed = DefaultSeed)
    {
        var trainSet = Generate($"{Name}/train", train, noise, seed);
        var testSet = Generate($"{Name}/test", test, noise, unchecked(seed * 0x9E3779B97F4A7C15UL + 0x7F4A7C15UL));
        return new DatasetSplits(Name, "(generated in memory)", trainSet, testSet);
    }

    /// <summary>Generates <paramref name="count"/> points x = f(z) + ε with noise standard deviation
    /// <paramref name="noise"/> from <paramref name="seed"/>.</summary>
    public static Dataset Generate(string name, int count, double noise, ulong seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        if (!(noise >= 0) || double.IsInfinity(noise)) throw new ArgumentOutOfRangeException(nameof(noise), noise, "the noise must be a finite non-negative number");
        // Scalar Box–Muller (Generator.NextNormal), not the vectorized fill, so the data do not depend on the CPU.
        var g = new Generator(seed);
        var points = new float[2 * count];
        var labels = new int[count];
        for (int i = 0; i < count; i++)
        {
            double z1, z2, r;
            do
            {
                z1 = g.NextNormal();
                z2 = g.NextNormal();
                r = Math.Sqrt(z1 * z1 + z2 * z2);
            } while (r == 0);
            double scale = 0.1 + 1 / r;
            points[2 * i] = (float)(z1 * scale + noise * g.NextNormal());
            points[2 * i + 1] = (float)(z2 * scale + noise * g.NextNormal());
            labels[i] = Sector(z1, z2);
        }
        return new Dataset(name, points, labels, DataShape.Points(2), Normalization);
    }

    /// <summary>The angle sector (0 … <see cref="Sectors"/> − 1) of the direction (x, y), counter-clockwise from
    /// the positive x axis.</summary>
    public static int Sector(double x, double y)
    {
        double angle = Math.Atan2(y, x);
        if (angle < 0) angle += 2 * Math.PI;
        return Math.Min(Sectors - 1, (int)(angle / (2 * Math.PI) * Sectors));
    }
}
