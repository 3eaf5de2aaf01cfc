using Elbo.Data;
using Elbo.Imaging;
using Elbo.Models;

namespace Elbo.Evaluation;

/// <summary>Paths between two latent codes and the picture of what the decoder makes of them (<c>elbo interpolate</c>):
/// per pair of test examples, input I, the decoded path from μ(I) to μ(J), input J. A conditional model decodes the
/// first half of the path at I's class and the second half at J's (the label is not interpolated).</summary>
public static class Interpolation
{
    /// <summary>Below this angle (radians) between the endpoints, or this close to π, slerp falls back to the line:
    /// the great circle is then the line itself (parallel) or not unique (opposite).</summary>
    public const double ParallelAngle = 1e-4;

    /// <summary><paramref name="steps"/> points from <paramref name="a"/> to <paramref name="b"/>, both included, at
    /// equally spaced t = k / (steps − 1), as steps × L row-major. The straight line (1 − t)·a + t·b, or with
    /// <paramref name="slerp"/> spherical linear interpolation (White 2016, "Sampling generative networks"):
    /// sin((1 − t)Ω)/sin Ω · a + sin(tΩ)/sin Ω · b, Ω the angle between a and b; it keeps the norm when |a| = |b| and
    /// falls back to the line when Ω is within <see cref="ParallelAngle"/> of 0 or π or an endpoint is zero. The
    /// first and last rows are exactly a and b.</summary>
    /// <exception cref="ArgumentException">The lengths differ or are zero, or steps &lt; 2.</exception>
    public static float[] Path(ReadOnlySpan<float> a, ReadOnlySpan<float> b, int steps, bool slerp)
    {
        if (a.Length != b.Length || a.Length == 0)
            throw new ArgumentException($"interpolation endpoints of lengths {a.Length} and {b.Length}", nameof(b));
        if (steps < 2) throw new ArgumentException($"an interpolation path needs at least 2 steps, got {steps}", nameof(steps));
        int l = a.Length;
        double omega = slerp ? Angle(a, b) : 0;
        bool spherical = omega > ParallelAngle && omega < Math.PI - ParallelAngle;
        double sinOmega = Math.Sin(omega);
        var path = new float[steps * l];
        a.CopyTo(path);
        b.CopyTo(path.AsSpan((steps - 1) * l));
        for (int k = 1; k < steps - 1; k++)
        {
            double t = (double)k / (steps - 1);
            double wa = spherical ? Math.Sin((1 - t) * omega) / sinOmega : 1 - t;
            double wb = spherical ? Math.Sin(t * omega) / sinOmega : t;
            var row = path.AsSpan(k * l, l);
            for (int u = 0; u < l; u++) row[u] = (float)(wa * a[u] + wb * b[u]);
        }
        return path;
    }

    /// <summary>The angle between <paramref name="a"/> and <paramref name="b"/> in radians (0 when either is zero).</summary>
    public static double Angle(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double dot = 0, na = 0, nb = 0;
        for (int u = 0; u < a.Length; u++)
        {
            dot += (double)a[u] * b[u];
            na += (double)a[u] * a[u];
            nb += (double)b[u] * b[u];
        }
        if (na == 0 || nb == 0) return 0;
        return Math.Acos(Math.Clamp(dot / Math.Sqrt(na * nb), -1, 1));
    }

    /// <summary>One row: test example <paramref name="from"/>, the decoded means along the path from its μ to the μ of
    /// example <paramref name="to"/> (<paramref name="steps"/> points, endpoints included), example <paramref name="to"/>.</summary>
    public static Image Picture(LatentVariableModel model, Dataset test, int from, int to, int steps, bool slerp, int scale = 2) =>
        Picture(model, test, [(from, to)], steps, slerp, scale);

    /// <summary>One row per pair (see <see cref="Picture(LatentVariableModel, Dataset, int, int, int, bool, int)"/>). The inputs
    /// in the first and last column are set apart from the decoded path by a grey stripe between white padding.</summary>
    /// <exception cref="ArgumentException">No pairs, an index outside the data, steps &lt; 2, data that do not fit
    /// the model, or data that are not images.</exception>
    public static Image Picture(LatentVariableModel model, Dataset test, IReadOnlyList<(int From, int To)> pairs, int steps, bool slerp, int scale = 2)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(test);
        ArgumentNullException.ThrowIfNull(pairs);
        var shape = ImageRows.ShapeOf(model.Input);
        if (test.Features != model.Input.Features)
            throw new ArgumentException($"the data ({test.Channels}x{test.Height}x{test.Width}) do not match the model ({model.Input})");
        if (pairs.Count == 0) throw new ArgumentException("interpolation needs at least one pair of examples");
        if (steps < 2) throw new ArgumentException($"--steps must be at least 2, got {steps}");
        foreach (var (from, to) in pairs)
            foreach (int i in (int[])[from, to])
                if (i < 0 || i >= test.Count)
                    throw new ArgumentException($"example {i} is outside the test data (0..{test.Count - 1})");

        int l = model.Latent, d = test.Features, columns = steps + 2;
        var tiles = new float[(long)pairs.Count * columns * d];
        for (int p = 0; p < pairs.Count; p++)
        {
            var (from, to) = pairs[p];
            var codes = LatentCodes.Encode(model, Subset(test, from, to));
            var path = Interpolation.Path(codes.MuOf(0), codes.MuOf(1), steps, slerp);
            var decoded = LatentDecoding.Means(model, path, steps, PathLabels(test.Label(from), test.Label(to), steps));
            var row = tiles.AsSpan(p * columns * d, columns * d);
            test.CopyImage(from, row[..d]);
            decoded.CopyTo(row.Slice(d, steps * d));
            test.CopyImage(to, row[((columns - 1) * d)..]);
        }
        return ImageRows.Compose(tiles, pairs.Count, columns, shape, framed: true, scale);
    }

    /// <summary>The class of each of <paramref name="steps"/> decoded points of a path for a conditional model: the
    /// start's (<paramref name="from"/>) for the first half of the path, the end's (<paramref name="to"/>) for the rest.</summary>
    public static int[] PathLabels(int from, int to, int steps)
    {
        var labels = new int[steps];
        for (int k = 0; k < steps; k++) labels[k] = 2 * k < steps ? from : to;
        return labels;
    }

    private static Dataset Subset(Dataset data, int first, int second)
    {
        int d = data.Features;
        var pixels = new float[2 * d];
        data.CopyImage(first, pixels.AsSpan(0, d));
        data.CopyImage(second, pixels.AsSpan(d, d));
        return new Dataset(data.Name, pixels, [data.Label(first), data.Label(second)], data.Shape, data.Normalization);
    }
}
