using System.Text.Json;

namespace Elbo.Reporting;

/// <summary>The figures of a run's <c>eval.json</c> (written by <c>elbo eval</c>), read tolerantly: names are
/// camelCase, unknown names are ignored, and a figure that is missing, null or not a number is left null, so the
/// report shows what is there. Only a file that is not a JSON object is an error.</summary>
public sealed record EvaluationSummary
{
    /// <summary>Test examples evaluated.</summary>
    public int? Examples { get; init; }

    /// <summary>Importance samples per example.</summary>
    public int? K { get; init; }

    /// <summary>−ELBO, nats per example.</summary>
    public double? NegElbo { get; init; }

    /// <summary>The reconstruction term E_q[−log p(x|z)], nats.</summary>
    public double? Reconstruction { get; init; }

    /// <summary>KL(q(z|x) ‖ p(z)), nats.</summary>
    public double? Kl { get; init; }

    /// <summary>The importance-sampled −log p(x) with q(z|x) as proposal, its standard error and the ELBO gap.</summary>
    public (double? NegLogPx, double? StandardError, double? ElboGap)? ImportanceSampled { get; init; }

    /// <summary>The estimate with the prior as proposal: −log p(x), its standard error, the mean effective sample size
    /// and that size as a fraction of K.</summary>
    public (double? NegLogPx, double? StandardError, double? MeanEss, double? EssFraction)? PriorProposal { get; init; }

    /// <summary>The average KL per latent dimension, nats.</summary>
    public double[]? KlPerDimension { get; init; }

    /// <summary>The variance of μ across the test set, per latent dimension.</summary>
    public double[]? VarianceOfMu { get; init; }

    /// <summary>Latent dimensions with a variance of μ above <see cref="ActiveThreshold"/>.</summary>
    public int? ActiveUnits { get; init; }

    /// <summary>The threshold of <see cref="ActiveUnits"/>.</summary>
    public double? ActiveThreshold { get; init; }

    /// <summary>Per-example refinement of q: the steps taken, the refined −ELBO and the amortization gap.</summary>
    public (double? Steps, double? RefinedNegElbo, double? Gap)? Amortization { get; init; }

    /// <summary>The evaluation's duration in seconds.</summary>
    public double? Seconds { get; init; }

    /// <summary>Reads <paramref name="path"/>.</summary>
    /// <exception cref="ReportFormatException">The file is not a JSON object.</exception>
    public static EvaluationSummary Read(string path)
    {
        string text = File.ReadAllText(path);
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(text, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException e)
        {
            throw new ReportFormatException(path, $"not valid JSON ({e.Message})", e);
        }
        using (doc)
        {
            var r = doc.RootElement;
            if (r.ValueKind != JsonValueKind.Object)
                throw new ReportFormatException(path, $"expected a JSON object, found {r.ValueKind.ToString().ToLowerInvariant()}");
            var iw = Object(r, "importanceSampled");
            var pp = Object(r, "priorProposal");
            var am = Object(r, "amortization");
            return new EvaluationSummary
            {
                Examples = Int(r, "examples"),
                K = Int(r, "k"),
                NegElbo = Number(r, "negElbo"),
                Reconstruction = Number(r, "reconstruction"),
                Kl = Number(r, "kl"),
                ImportanceSampled = iw is { } i ? (Number(i, "negLogPx"), Number(i, "standardError"), Number(i, "elboGap")) : null,
                PriorProposal = pp is { } p ? (Number(p, "negLogPx"), Number(p, "standardError"), Number(p, "meanEss"), Number(p, "essFraction")) : null,
                KlPerDimension = Array(r, "klPerDimension"),
                VarianceOfMu = Array(r, "varianceOfMu"),
                ActiveUnits = Int(r, "activeUnits"),
                ActiveThreshold = Number(r, "activeThreshold"),
                Amortization = am is { } a ? (Number(a, "steps"), Number(a, "refinedNegElbo"), Number(a, "gap")) : null,
                Seconds = Number(r, "seconds"),
            };
        }
    }

    private static JsonElement? Object(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Object ? v : null;

    private static double? Number(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out double d) && double.IsFinite(d) ? d : null;

    private static int? Int(JsonElement e, string name) =>
        Number(e, name) is { } d && d >= int.MinValue && d <= int.MaxValue ? (int)Math.Round(d) : null;

    private static double[]? Array(JsonElement e, string name)
    {
        if (!e.TryGetProperty(name, out var v) || v.ValueKind != JsonValueKind.Array) return null;
        var result = new double[v.GetArrayLength()];
        int n = 0;
        foreach (var item in v.EnumerateArray())
            result[n++] = item.ValueKind == JsonValueKind.Number && item.TryGetDouble(out double d) ? d : double.NaN;
        return result;
    }
}
