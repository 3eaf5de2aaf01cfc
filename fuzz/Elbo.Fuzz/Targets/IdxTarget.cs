using System.Buffers.Binary;
using System.IO.Compression;
using Elbo.Data;

namespace Elbo.Fuzz.Targets;

/// <summary>IDX files (MNIST, Fashion-MNIST; gzip or raw) through <see cref="IdxReader"/>; refusals are
/// <see cref="DataFormatException"/>s. Seeds: slices of Debian's Fashion-MNIST test files.</summary>
internal sealed class IdxTarget : FuzzTarget
{
    private const string FashionMnist = "/usr/share/datasets/fashion-mnist";

    public override string Name => "idx";

    public override string Description => "IdxReader.Read (gzip or raw IDX of unsigned bytes)";

    public override string? Run(byte[] input, Scratch scratch)
    {
        try
        {
            var idx = IdxReader.Read(new MemoryStream(input, writable: false), "input.idx");
            long elements = 1;
            foreach (int d in idx.Dimensions) elements *= d;
            if (idx.Data.Length != elements) throw new InvalidOperationException($"{idx.Data.Length} elements for the dimensions {string.Join(" × ", idx.Dimensions)}");
            return null;
        }
        catch (DataFormatException e)
        {
            return e.Message;
        }
    }

    public override IEnumerable<(string Name, byte[] Bytes)> Seeds(Scratch scratch)
    {
        var images = IdxReader.ReadImages(Path.Combine(FashionMnist, "t10k-images-idx3-ubyte.gz"));
        var labels = IdxReader.ReadLabels(Path.Combine(FashionMnist, "t10k-labels-idx1-ubyte.gz"));
        int pixels = images.Dimensions[1] * images.Dimensions[2];
        byte[] Images(int n) => Idx([n, images.Dimensions[1], images.Dimensions[2]], images.Data.AsSpan(0, n * pixels));
        byte[] Labels(int n) => Idx([n], labels.Data.AsSpan(0, n));
        yield return ("images-1.idx", Images(1));
        yield return ("images-3.idx.gz", Gzip(Images(3)));
        yield return ("labels-10.idx", Labels(10));
        yield return ("labels-200.idx.gz", Gzip(Labels(200)));
    }

    private static byte[] Idx(int[] dims, ReadOnlySpan<byte> data)
    {
        var bytes = new byte[4 + 4 * dims.Length + data.Length];
        bytes[2] = 0x08;
        bytes[3] = (byte)dims.Length;
        for (int d = 0; d < dims.Length; d++) BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + 4 * d), dims[d]);
        data.CopyTo(bytes.AsSpan(4 + 4 * dims.Length));
        return bytes;
    }

    private static byte[] Gzip(byte[] bytes)
    {
        var output = new MemoryStream();
        using (var gz = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true)) gz.Write(bytes);
        return output.ToArray();
    }
}
