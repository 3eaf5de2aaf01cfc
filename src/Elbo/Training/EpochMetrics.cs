using System.Text.Json;
using System.Text.Json.Serialization;

namespace Elbo.Training;

/// <summary>One line of <c>metrics.jsonl</c>: an epoch's training and test figures. Losses are in nats per example:
/// <c>*_loss</c> is the −ELBO, <c>*_recon</c> and <c>*_kl</c> its two halves (unweighted by β or warm-up); with the iwae
/// objective <c>*_iwae</c> is −L_K, the bound it trains on.</summary>
public sealed record EpochMetrics
{
    /// <summary>The epoch number, from 1.</summary>
    [JsonPropertyName("epoch")] public int Epoch { get; init; }
    /// <summary>Seconds the epoch's training steps took.</summary>
    [JsonPropertyName("train_seconds")] public double TrainSeconds { get; init; }
    /// <summary>The training −ELBO.</summary>
    [JsonPropertyName("train_loss")] public double TrainLoss { get; init; }
    /// <summary>The training reconstruction term.</summary>
    [JsonPropertyName("train_recon")] public double TrainRecon { get; init; }
    /// <summary>The training KL term.</summary>
    [JsonPropertyName("train_kl")] public double TrainKl { get; init; }
    /// <summary>The test −ELBO.</summary>
    [JsonPropertyName("test_loss")] public double TestLoss { get; init; }
    /// <summary>The test reconstruction term.</summary>
    [JsonPropertyName("test_recon")] public double TestRecon { get; init; }
    /// <summary>The test KL term.</summary>
    [JsonPropertyName("test_kl")] public double TestKl { get; init; }
    /// <summary>Training throughput, examples per second.</summary>
    [JsonPropertyName("examples_per_second")] public double ExamplesPerSecond { get; init; }
    /// <summary>The KL weight of the epoch (β times the warm-up ramp).</summary>
    [JsonPropertyName("kl_weight")] public double KlWeight { get; init; }

    /// <summary>−L_K, the negative importance-weighted bound the iwae objective trains on (absent for the elbo).</summary>
    [JsonPropertyName("train_iwae"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public double? TrainBound { get; init; }
    /// <summary>−L_K on the test split (absent for the elbo).</summary>
    [JsonPropertyName("test_iwae"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public double? TestBound { get; init; }

    /// <summary>For a table: the test rows' −log p(x_c|z) per column at z = μ (nats per row, 0 for missing cells), by
    /// column name — the breakdown of the reconstruction term; null for other data.</summary>
    [JsonPropertyName("test_columns"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public Dictionary<string, double>? TestColumns { get; init; }

    /// <summary>The processes of a data-parallel run that trained the epoch (absent for one process).</summary>
    [JsonPropertyName("ranks"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public int? Ranks { get; init; }
    /// <summary>Seconds rank 0 spent in the steps' gradient Allreduce, waiting for the slowest process included (absent
    /// for one process).</summary>
    [JsonPropertyName("allreduce_seconds"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public double? AllreduceSeconds { get; init; }

    private static readonly JsonSerializerOptions Options = new() { WriteIndented = false };

    /// <summary>The record as one JSON line (no newline).</summary>
    public string ToJsonLine() => JsonSerializer.Serialize(this, Options);

    /// <summary>Parses one line; throws FormatException naming the line number for a malformed line.</summary>
    public static EpochMetrics Parse(string line, int lineNumber)
    {
        try
        {
            return JsonSerializer.Deserialize<EpochMetrics>(line, Options) ?? throw new FormatException($"metrics line {lineNumber}: empty");
        }
        catch (JsonException e)
        {
            throw new FormatException($"metrics line {lineNumber}: {e.Message}");
        }
    }
}
