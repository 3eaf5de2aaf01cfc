using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Elbo.Data;
using Elbo.Engine.Nn;
using Elbo.Engine.Optim;
using Elbo.Serialization;

namespace Elbo.Training.Distributed;

/// <summary>
/// Keeps the processes of a data-parallel run replicas of one another: rank 0's model, optimizer and training state
/// copied to all (at the start, so a resume on any number of processes continues rank 0's checkpoint, and at every
/// epoch's end), batch-norm running statistics averaged over the processes, and checks that every process was
/// started on the same settings and data.
/// </summary>
public static class Replicas
{
    private static readonly JsonSerializerOptions Json = new() { IncludeFields = false };

    /// <summary>Copies rank 0's model state (parameters and buffers), <paramref name="optimizer"/>'s state and
    /// training <paramref name="state"/> to every process, and returns rank 0's training state. A process whose model
    /// does not fit rank 0's throws <see cref="ReplicaMismatchException"/>.</summary>
    public static TrainingState Share(IProcessGroup group, Module model, Optimizer optimizer, TrainingState state)
    {
        ArgumentNullException.ThrowIfNull(group);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(optimizer);
        if (group.Size == 1) return state;
        bool root = group.Rank == 0;
        var modelState = root ? model.StateDict() : null;
        var optimizerState = root ? optimizer.StateDict() : null;
        var manifest = root
            ? new Manifest(state, Entries(modelState!), Entries(optimizerState!))
            : null;
        byte[] bytes = group.Broadcast(root ? JsonSerializer.SerializeToUtf8Bytes(manifest, Json) : [], 0);
        manifest = JsonSerializer.Deserialize<Manifest>(bytes, Json) ?? throw new ReplicaMismatchException("rank 0 sent no training state");
        long total = manifest.Model.Sum(e => (long)e.Numel) + manifest.Optimizer.Sum(e => (long)e.Numel);
        var flat = new float[checked((int)total)];
        if (root)
        {
            int offset = 0;
            foreach (var (_, t) in modelState!) { t.Data.CopyTo(flat.AsSpan(offset)); offset += t.Numel; }
            foreach (var (_, t) in optimizerState!) { t.Data.CopyTo(flat.AsSpan(offset)); offset += t.Numel; }
        }
        group.Broadcast(flat, 0);
        if (!root)
        {
            int offset = 0;
            var modelDict = Tensors(manifest.Model, flat, ref offset);
            var optimizerDict = Tensors(manifest.Optimizer, flat, ref offset);
            try
            {
                model.LoadStateDict(modelDict);
                optimizer.LoadStateDict(optimizerDict);
            }
            catch (ArgumentException e)
            {
                throw new ReplicaMismatchException($"rank {group.Rank}'s model does not fit rank 0's: {e.Message.ReplaceLineEndings(" ")}");
            }
        }
        return manifest.State;
    }

    /// <summary>Replaces every floating buffer of <paramref name="model"/> (batch norm's running mean and variance) by
    /// its mean over the processes. Each process updates them from its own shard's statistics; the updates are linear
    /// (an exponential moving average), so averaging at any time gives what averaging after every step would.</summary>
    public static void AverageBuffers(IProcessGroup group, Module model)
    {
        ArgumentNullException.ThrowIfNull(group);
        ArgumentNullException.ThrowIfNull(model);
        if (group.Size == 1) return;
        var buffers = model.NamedBuffers();
        if (buffers.Count == 0) return;
        long total = buffers.Sum(b => (long)b.Value.Numel);
        var flat = new float[checked((int)total)];
        int offset = 0;
        foreach (var (_, t) in buffers) { t.Data.CopyTo(flat.AsSpan(offset)); offset += t.Numel; }
        group.Sum(flat);
        System.Numerics.Tensors.TensorPrimitives.Multiply(flat, 1f / group.Size, flat);
        offset = 0;
        foreach (var (_, t) in buffers) { flat.AsSpan(offset, t.Numel).CopyTo(t.Data); offset += t.Numel; }
    }

    /// <summary>Checks that every process holds the same <paramref name="lines"/> (e.g. its settings, one per line);
    /// otherwise throws, on every process, a <see cref="ReplicaMismatchException"/> naming the first rank and line that
    /// differ from rank 0's.</summary>
    /// <param name="group">The processes.</param>
    /// <param name="what">What the lines are, for the message ("options", "settings and data").</param>
    /// <param name="lines">This process's lines.</param>
    public static void Agree(IProcessGroup group, string what, IReadOnlyList<string> lines)
    {
        ArgumentNullException.ThrowIfNull(group);
        ArgumentNullException.ThrowIfNull(lines);
        if (group.Size == 1) return;
        var all = group.Gather(Encoding.UTF8.GetBytes(string.Join('\n', lines)));
        Compare(what, [.. all.Select(b => Encoding.UTF8.GetString(b).Split('\n'))]);
    }

    /// <summary>Throws a <see cref="ReplicaMismatchException"/> naming the first rank and line of
    /// <paramref name="linesByRank"/> that differ from rank 0's.</summary>
    public static void Compare(string what, IReadOnlyList<string[]> linesByRank)
    {
        ArgumentNullException.ThrowIfNull(linesByRank);
        var reference = linesByRank[0];
        for (int r = 1; r < linesByRank.Count; r++)
        {
            var other = linesByRank[r];
            for (int i = 0; i < Math.Max(reference.Length, other.Length); i++)
            {
                string mine = i < reference.Length ? reference[i] : "(nothing)", theirs = i < other.Length ? other[i] : "(nothing)";
                if (mine != theirs)
                    throw new ReplicaMismatchException($"rank {r} was started with other {what} than rank 0: {theirs} (rank 0: {mine}); every rank must run the same command on the same data");
            }
        }
    }

    /// <summary>A short digest of a dataset for <see cref="Agree"/>: its size, shape, every label and up to 256 of its
    /// examples spread over it (SHA-256), so a process reading other data than rank 0 is caught before training.</summary>
    public static string Digest(Dataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(data.Labels));
        var example = new float[data.Features];
        int samples = Math.Min(256, data.Count);
        for (int s = 0; s < samples; s++)
        {
            data.CopyImage((int)((long)s * data.Count / samples), example);
            hash.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(example.AsSpan()));
        }
        return $"{data.Count} examples of {data.Features} values, sha256 {Convert.ToHexString(hash.GetHashAndReset())[..16].ToLowerInvariant()}";
    }

    private static List<Entry> Entries(OrderedDictionary<string, Tensor> state) =>
        [.. state.Select(kv => new Entry(kv.Key, kv.Value.ShapeArray()))];

    private static Dictionary<string, Tensor> Tensors(List<Entry> entries, float[] flat, ref int offset)
    {
        var dict = new Dictionary<string, Tensor>();
        foreach (var e in entries)
        {
            var t = Tensor.Zeros(e.Shape);
            flat.AsSpan(offset, t.Numel).CopyTo(t.Data);
            offset += t.Numel;
            dict[e.Key] = t;
        }
        return dict;
    }

    private sealed record Manifest(TrainingState State, List<Entry> Model, List<Entry> Optimizer);

    private sealed record Entry(string Key, int[] Shape)
    {
        [System.Text.Json.Serialization.JsonIgnore] public int Numel => Shape.Aggregate(1, (a, b) => a * b);
    }
}

/// <summary>The processes of a data-parallel run disagree (settings, data or model); every process throws it alike.</summary>
public sealed class ReplicaMismatchException(string message) : Exception(message);
