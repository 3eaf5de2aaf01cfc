using System.IO.Compression;

namespace Elbo.Distributed.Tests;

/// <summary>The first images of Debian's Fashion-MNIST (package dataset-fashion-mnist) as a small IDX folder, so a
/// run of a few steps trains on real pictures.</summary>
internal static class FashionSubset
{
    private const string Source = "/usr/share/datasets/fashion-mnist";

    /// <summary>Writes <paramref name="train"/> training and <paramref name="test"/> test images (with labels) into
    /// <paramref name="folder"/>; returns the folder.</summary>
    public static string Write(string folder, int train, int test)
    {
        Directory.CreateDirectory(folder);
        Copy("train-images-idx3-ubyte", folder, train, 16, 28 * 28);
        Copy("train-labels-idx1-ubyte", folder, train, 8, 1);
        Copy("t10k-images-idx3-ubyte", folder, test, 16, 28 * 28);
        Copy("t10k-labels-idx1-ubyte", folder, test, 8, 1);
        return folder;
    }

    // The header (the count, big-endian at offset 4, replaced) and the first n records of one IDX file.
    private static void Copy(string name, string folder, int n, int header, int record)
    {
        using var gz = new GZipStream(File.OpenRead(Path.Combine(Source, name + ".gz")), CompressionMode.Decompress);
        var bytes = new byte[header + n * record];
        gz.ReadExactly(bytes);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4), n);
        File.WriteAllBytes(Path.Combine(folder, name), bytes);
    }
}
