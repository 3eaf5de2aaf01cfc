using Elbo.Serialization;

namespace Elbo.Training;

/// <summary><c>metrics.jsonl</c>: one <see cref="EpochMetrics"/> line per epoch. Appending rewrites the file atomically
/// (the previous lines plus the new one), so a crash never leaves a torn line; a resumed run first truncates the log
/// to the epochs its checkpoint holds.</summary>
public static class MetricsLog
{
    /// <summary>The epochs in the log, in order (none when the file does not exist).</summary>
    public static List<EpochMetrics> Read(string path)
    {
        var result = new List<EpochMetrics>();
        if (!File.Exists(path)) return result;
        int n = 0;
        foreach (var line in File.ReadLines(path))
        {
            n++;
            if (line.Length == 0) continue;
            result.Add(EpochMetrics.Parse(line, n));
        }
        return result;
    }

    /// <summary>Appends <paramref name="metrics"/>, keeping only earlier epochs from the existing file.</summary>
    public static void Append(string path, EpochMetrics metrics)
    {
        var lines = Read(path).Where(m => m.Epoch < metrics.Epoch).Select(m => m.ToJsonLine()).ToList();
        lines.Add(metrics.ToJsonLine());
        AtomicFile.WriteAllText(path, string.Join('\n', lines) + "\n");
    }

    /// <summary>Brings the log level with a checkpoint of <paramref name="epoch"/> finished epochs: lines of later
    /// epochs go, and the checkpoint's own line (<paramref name="checkpointLine"/>, when given) is added if a kill came
    /// between the checkpoint and the log's write. The file is rewritten (atomically) only when it changes.</summary>
    public static void Settle(string path, int epoch, string? checkpointLine)
    {
        var lines = Read(path);
        var kept = lines.Where(m => m.Epoch <= epoch).ToList();
        if (checkpointLine is not null && epoch > 0 && !kept.Any(m => m.Epoch == epoch))
        {
            var saved = EpochMetrics.Parse(checkpointLine, 1);
            if (saved.Epoch == epoch) kept.Add(saved);
        }
        if (kept.Count == lines.Count && kept.SequenceEqual(lines)) return;
        AtomicFile.WriteAllText(path, string.Concat(kept.Select(m => m.ToJsonLine() + "\n")));
    }
}
