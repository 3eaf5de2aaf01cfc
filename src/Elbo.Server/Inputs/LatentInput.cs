namespace Elbo.Server.Inputs;

/// <summary>Latent points sent in a request (<c>z</c>): arrays of L finite numbers, as many as the limit allows.</summary>
internal static class LatentInput
{
    /// <summary>The points of <paramref name="z"/> as n × L row-major.</summary>
    /// <exception cref="ApiException">400 or 413 naming <paramref name="field"/> or the point at fault.</exception>
    public static float[] Read(float[][]? z, int latent, ServerLimits limits, string field = "z", int? exactly = null)
    {
        if (z is null) throw ApiException.Bad(field, $"{field}: give the latent points, arrays of {latent} numbers");
        ExampleReader.CheckCount(field, z.Length, limits, exactly);
        var points = new float[(long)z.Length * latent];
        for (int i = 0; i < z.Length; i++)
        {
            string at = $"{field}[{i}]";
            var point = z[i] ?? throw ApiException.Bad(at, $"{at}: an array of {latent} numbers is needed, not null");
            if (point.Length != latent) throw ApiException.Bad(at, $"{at}: {point.Length} values, and the latent space has {latent} dimensions");
            for (int u = 0; u < latent; u++)
                if (!float.IsFinite(point[u])) throw ApiException.Bad($"{at}[{u}]", $"{at}[{u}]: not a finite float32 number");
            point.CopyTo(points.AsSpan(i * latent, latent));
        }
        return points;
    }
}
