using System.Text.Json;
using Elbo.Data.Tables;
using Elbo.Engine.Autograd;
using Elbo.Evaluation;
using Elbo.Serialization;
using Elbo.Server.Contracts;
using Elbo.Server.Inputs;
using Elbo.Server.Outputs;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace Elbo.Server.Api;

/// <summary>
/// The JSON API over a served run. Each handler reads its request strictly (<see cref="StrictJson"/>), checks it
/// against the run and the limits, then calls the library in one model call admitted by the <see cref="ModelGate"/>
/// — <see cref="LatentCodes.Encode"/>, <see cref="LatentDecoding"/>, <see cref="TableSampling"/>,
/// <see cref="ExampleScores"/>, <see cref="Interpolation"/> — and writes what it returns. No model mathematics here.
/// </summary>
internal sealed class ModelApi(ServedRun run, ModelGate gate, ServerLimits limits)
{
    /// <summary>The default importance samples of a score.</summary>
    public const int DefaultK = 100;

    /// <summary>The default number of samples.</summary>
    public const int DefaultSamples = 16;

    /// <summary>The default points of an interpolation.</summary>
    public const int DefaultSteps = 10;

    private readonly byte[] _model = JsonSerializer.SerializeToUtf8Bytes(Describe(run, limits), StrictJson.Write);
    private readonly byte[] _explorer = JsonSerializer.SerializeToUtf8Bytes(ExplorerOf(run), StrictJson.Write);

    /// <summary>Maps every route under <c>/api</c>.</summary>
    public void Map(IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api");
        api.MapGet("/model", () => Json(_model)).WithName("model")
            .WithSummary("The served run: configuration, shape, labels, table schema, KL per latent dimension, limits")
            .Produces<ModelInfo>(StatusCodes.Status200OK, "application/json");
        api.MapGet("/explorer", () => Json(_explorer)).WithName("explorer")
            .WithSummary("The latent explorer's test points: locations of q, labels, ranking, PCA plane")
            .Produces<ExplorerData>(StatusCodes.Status200OK, "application/json");
        Post<EncodeRequest, EncodeResponse>(api, "/encode", "Encode examples: q(z|x)'s parameters per example", Encode);
        Post<DecodeRequest, Examples>(api, "/decode", "Decode latent points: the means of p(x|z)", Decode);
        Post<SampleRequest, Examples>(api, "/sample", "Draw from the model: pictures at z ~ N(0, I), or table rows drawn from p(x|z)", Sample);
        Post<ReconstructRequest, ReconstructResponse>(api, "/reconstruct", "Reconstruct examples: the means of p(x|z) at the location of q", Reconstruct);
        Post<ScoreRequest, ScoreResponse>(api, "/score", "Score examples: −ELBO and importance-weighted −log p(x) per example, in nats", Score);
        Post<InterpolateRequest, InterpolateResponse>(api, "/interpolate", "Decode the path between two examples' codes or two latent points", Interpolate);
    }

    private void Post<TRequest, TResponse>(RouteGroupBuilder api, string route, string summary, Func<TRequest, object> handle)
        where TRequest : class
    {
        api.MapPost(route, async (HttpContext context) =>
            {
                var request = await StrictJson.ReadAsync<TRequest>(context.Request, limits.MaxBodyBytes).ConfigureAwait(false);
                var response = await gate.RunAsync(() => handle(request), context.RequestAborted).ConfigureAwait(false);
                return Results.Json(response, StrictJson.Write);
            })
            .WithName(route.TrimStart('/')).WithSummary(summary)
            .Accepts<TRequest>("application/json")
            .Produces<TResponse>(StatusCodes.Status200OK, "application/json")
            .Produces<ApiError>(StatusCodes.Status400BadRequest, "application/json")
            .Produces<ApiError>(StatusCodes.Status413PayloadTooLarge, "application/json")
            .Produces<ApiError>(StatusCodes.Status415UnsupportedMediaType, "application/json")
            .Produces<ApiError>(StatusCodes.Status503ServiceUnavailable, "application/json");
    }

    private static IResult Json(byte[] body) => Results.Bytes(body, "application/json");

    private EncodeResponse Encode(EncodeRequest request)
    {
        var batch = ExampleReader.Read(request, run, limits);
        var codes = LatentCodes.Encode(run.Model, batch.Data);
        var names = codes.Family.ParameterNames;
        var parameters = new Dictionary<string, float[][]>(names.Count);
        for (int p = 0; p < names.Count; p++) parameters[names[p]] = Split(codes.Parameter(p), codes.Count);
        return new EncodeResponse(codes.Family.Name, parameters, codes.Labels);
    }

    private Examples Decode(DecodeRequest request)
    {
        bool png = ExampleWriter.AsPng(request.Format, run);
        var z = LatentInput.Read(request.Z, run.Model.Latent, limits);
        int n = request.Z!.Length;
        var labels = LabelInput.Read(request.Labels, n, run, null);
        return ExampleWriter.Write(run, LatentDecoding.Means(run.Model, z, n, Conditional(labels)), n, png);
    }

    private Examples Sample(SampleRequest request)
    {
        bool png = ExampleWriter.AsPng(request.Format, run);
        int n = request.N ?? DefaultSamples;
        ExampleReader.CheckCount("n", n, limits);
        var generator = new Generator(request.Seed ?? 1);
        if (run.Schema is { } schema)
        {
            if (request.Labels is not null) throw ApiException.Bad("labels", "labels: table rows are drawn with the classes in turn; leave labels out");
            return ExampleWriter.Write(TableSampling.Draw(run.Model, schema, n, generator));
        }
        int[] labels = request.Labels is null ? run.Model.LabelsInTurn(n) : LabelInput.Read(request.Labels, n, run, null);
        using (GradMode.NoGrad())
            return ExampleWriter.Write(run, run.Model.Sample(n, generator, labels).Data.ToArray(), n, png);
    }

    private ReconstructResponse Reconstruct(ReconstructRequest request)
    {
        bool png = ExampleWriter.AsPng(request.Format, run);
        var batch = ExampleReader.Read(request, run, limits);
        var data = batch.Data;
        var inputs = batch.Rows is { } rows ? ExampleWriter.Write(rows) : ExampleWriter.Write(run, data.ToArray(), data.Count, png);
        return new ReconstructResponse(inputs, ExampleWriter.Write(run, LatentDecoding.Reconstructions(run.Model, data.ToArray(), data.Count, data.Labels), data.Count, png));
    }

    private ScoreResponse Score(ScoreRequest request)
    {
        int k = request.K ?? DefaultK;
        if (k < 1 || k > limits.MaxK) throw ApiException.Bad("k", $"k: {k} importance samples; give 1..{limits.MaxK}");
        var batch = ExampleReader.Read(request, run, limits);
        long samples = (long)batch.Data.Count * k;
        if (samples > limits.MaxImportanceSamples)
            throw ApiException.TooLarge("k", $"k: {batch.Data.Count} examples × k = {k} are {samples:N0} samples, more than the limit of {limits.MaxImportanceSamples:N0} per request");
        var scores = ExampleScores.Compute(run.Model, batch.Data, k, request.Seed ?? 1);
        return new ScoreResponse(k, scores.ScoreName, scores.NegElbo, scores.NegLogPx);
    }

    private InterpolateResponse Interpolate(InterpolateRequest request)
    {
        bool png = ExampleWriter.AsPng(request.Format, run);
        int steps = request.Steps ?? DefaultSteps;
        if (steps < 2 || steps > limits.MaxSteps) throw ApiException.Bad("steps", $"steps: {steps}; give 2..{limits.MaxSteps}");
        int latent = run.Model.Latent;
        float[] ends;
        int[] endLabels;
        if (request.Z is not null)
        {
            if (request.Images is not null || request.Values is not null || request.Rows is not null || request.Test is not null)
                throw ApiException.Bad("z", "z: give the two endpoints as z or as examples, not both");
            ends = LatentInput.Read(request.Z, latent, limits, exactly: 2);
            endLabels = LabelInput.Read(request.Labels, 2, run, null);
        }
        else
        {
            var batch = ExampleReader.Read(request, run, limits, exactly: 2);
            ends = LatentCodes.Encode(run.Model, batch.Data).Mu;
            endLabels = batch.Data.Labels.ToArray();
        }
        var path = Interpolation.Path(ends.AsSpan(0, latent), ends.AsSpan(latent, latent), steps, request.Slerp ?? false);
        var labels = run.Model.IsConditional ? Interpolation.PathLabels(endLabels[0], endLabels[1], steps) : [];
        return new InterpolateResponse(Split(path, steps), ExampleWriter.Write(run, LatentDecoding.Means(run.Model, path, steps, labels), steps, png));
    }

    // The labels a model call takes: all of them for a conditional model, none for another.
    private int[] Conditional(int[] labels) => run.Model.IsConditional ? labels : [];

    private static float[][] Split(float[] values, int n)
    {
        int width = values.Length / n;
        var rows = new float[n][];
        for (int i = 0; i < n; i++) rows[i] = values.AsSpan(i * width, width).ToArray();
        return rows;
    }

    private static ModelInfo Describe(ServedRun run, ServerLimits limits)
    {
        var c = run.Config;
        var model = run.Model;
        var shape = run.Test.Shape;
        using var config = JsonDocument.Parse(RunConfigFile.ToJson(c));
        JsonElement? table = null;
        if (config.RootElement.TryGetProperty("table", out var t) && t.ValueKind == JsonValueKind.Object) table = t.Clone();
        return new ModelInfo
        {
            Run = run.Directory, Model = c.Model.Name, Likelihood = c.Likelihood.Name, Posterior = model.Posterior.Name,
            PosteriorParameters = model.Posterior.ParameterNames, Latent = model.Latent,
            Kind = shape.Kind.ToString().ToLowerInvariant(), Shape = [shape.Channels, shape.Height, shape.Width], Features = shape.Features,
            Conditional = model.IsConditional, Classes = model.Classes, LabelNames = run.LabelNames, Dataset = c.Dataset,
            TestExamples = run.Test.Count, Table = table, KlPerDimension = run.EvalKl, Ranking = run.Ranking,
            RankingSource = run.Explorer.InformationSource, Limits = limits, Config = config.RootElement.Clone(),
        };
    }

    private static ExplorerData ExplorerOf(ServedRun run)
    {
        var e = run.Explorer;
        var codes = e.Codes;
        PcaPlane? plane = null;
        if (e.Pca is { } pca && e.Plane is { } coordinates)
        {
            var points = new double[codes.Count][];
            for (int i = 0; i < codes.Count; i++) points[i] = [coordinates[2 * i], coordinates[2 * i + 1]];
            plane = new PcaPlane(pca.Mean, [pca.Components[0], pca.Components[1]], pca.ExplainedVarianceRatio[..2], points);
        }
        return new ExplorerData
        {
            Points = codes.Count, Mu = Split(codes.Mu, codes.Count), Labels = codes.Labels, LabelNames = run.LabelNames,
            Ranking = e.Ranking, Information = e.Information, InformationName = codes.Family.InformationName,
            InformationSource = e.InformationSource, Pca = plane,
        };
    }
}
