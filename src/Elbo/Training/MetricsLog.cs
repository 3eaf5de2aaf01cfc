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
}
