using System.Buffers.Binary;
using System.Text;
using System.Text.Json.Nodes;
using Elbo.Serialization;

namespace Elbo.Fuzz.Targets;

/// <summary>
/// A run's model.safetensors through <see cref="Checkpoint.Load(string, string)"/>, what every command on a run reads:
/// <see cref="SafeTensorsFile.Read"/> (the header's length, JSON, dtypes, shapes, offsets, both checksums, the tensors)
/// and then the checkpoint's metadata (layout version, epoch, step, generator state, the embedded configuration, the
/// position inside an epoch). Refusals are <see cref="CheckpointFormatException"/>s. Seeds: the checkpoints of
/// <see cref="TinyRuns"/>, and copies without their two checksums, so mutations of the header and metadata are read
/// rather than stopped at the checksum.
/// </summary>
internal sealed class SafeTensorsTarget : FuzzTarget
{
    public override string Name => "safetensors";

    public override string Description => "Checkpoint.Load → SafeTensorsFile.Read (header, tensors, checksums) and the checkpoint's metadata";

    public override string? Run(byte[] input, Scratch scratch)
    {
        string weights = scratch.Write("model.safetensors", input);
        try
        {
            var content = Checkpoint.Load(scratch.PathOf("absent-config.json"), weights);
            foreach (var (name, tensor) in content.ModelState.Concat(content.OptimizerState))
                if (tensor.Data.Length != tensor.Numel) throw new InvalidOperationException($"tensor {name}: {tensor.Data.Length} values for {tensor.Numel} elements");
            return null;
        }
        catch (CheckpointFormatException e)
        {
            return e.Message;
        }
    }

    public override IEnumerable<(string Name, byte[] Bytes)> Seeds(Scratch scratch)
    {
        var runs = TinyRuns.Train(scratch);
        var cvae = File.ReadAllBytes(Checkpoint.WeightsPath(runs.Pictures));
        var table = File.ReadAllBytes(Checkpoint.WeightsPath(runs.Table));
        yield return ("cvae.safetensors", cvae);
        yield return ("table.safetensors", table);
        yield return ("cvae-unsigned.safetensors", WithoutChecksums(cvae));
        yield return ("table-unsigned.safetensors", WithoutChecksums(table));
    }

    /// <summary>The same file with the data and header checksums left out of its metadata (the reader checks each only
    /// when present), the header padded to a multiple of 8 again.</summary>
    private static byte[] WithoutChecksums(byte[] file)
    {
        int headerLength = (int)BinaryPrimitives.ReadUInt64LittleEndian(file);
        var header = JsonNode.Parse(file.AsSpan(8, headerLength))!.AsObject();
        var metadata = header[SafeTensorsFile.MetadataKey]!.AsObject();
        metadata.Remove(SafeTensorsFile.ChecksumKey);
        metadata.Remove(SafeTensorsFile.HeaderChecksumKey);
        var json = Encoding.UTF8.GetBytes(header.ToJsonString());
        int padded = (json.Length + 7) / 8 * 8;
        var output = new byte[8 + padded + (file.Length - 8 - headerLength)];
        BinaryPrimitives.WriteUInt64LittleEndian(output, (ulong)padded);
        json.CopyTo(output, 8);
        output.AsSpan(8 + json.Length, padded - json.Length).Fill((byte)' ');
        file.AsSpan(8 + headerLength).CopyTo(output.AsSpan(8 + padded));
        return output;
    }
}
