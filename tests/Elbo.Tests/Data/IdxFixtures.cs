using System.Buffers.Binary;
using System.IO.Compression;

namespace Elbo.Tests.Data;

/// <summary>Builds small IDX files for tests.</summary>
public static class IdxFixtures
{
    /// <summary>The bytes of an IDX file of uint8 with the given dimensions and data.</summary>
    public static byte[] Idx(int[] dims, byte[] data, byte type = 0x08)
    {
        var bytes = new byte[4 + 4 * dims.Length + data.Length];
        bytes[2] = type;
        bytes[3] = (byte)dims.Length;
        for (int d = 0; d < dims.Length; d++) BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + 4 * d), dims[d]);
        data.CopyTo(bytes, 4 + 4 * dims.Length);
        return bytes;
    }

    /// <summary>An images file of <paramref name="n"/> images of rows × cols whose pixel j of image i is
    /// (i * 31 + j * 7 + salt) mod 256.</summary>
    public static byte[] Images(int n, int rows, int cols, int salt = 0) => Idx([n, rows, cols], Pixels(n, rows * cols, salt));

    /// <summary>The pixel bytes <see cref="Images"/> writes.</summary>
    public static byte[] Pixels(int n, int features, int salt = 0)
    {
        var data = new byte[n * features];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < features; j++) data[i * features + j] = (byte)((i * 31 + j * 7 + salt) % 256);
        return data;
    }

    /// <summary>A labels file of <paramref name="n"/> labels, label i = i mod 10.</summary>
    public static byte[] Labels(int n)
    {
        var data = new byte[n];
        for (int i = 0; i < n; i++) data[i] = (byte)(i % 10);
        return Idx([n], data);
    }

    /// <summary><paramref name="bytes"/> gzipped.</summary>
    public static byte[] Gzip(byte[] bytes)
    {
        var output = new MemoryStream();
        using (var gz = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true)) gz.Write(bytes);
        return output.ToArray();
    }

    /// <summary>Writes the four MNIST-style files (gzipped, with .gz names) of a dataset with
    /// <paramref name="train"/> and <paramref name="test"/> images of rows × cols into <paramref name="folder"/>.</summary>
    public static void WriteDataset(string folder, int train = 7, int test = 3, int rows = 4, int cols = 5, bool gzip = true)
    {
        Directory.CreateDirectory(folder);
        foreach (var (name, bytes) in DatasetFiles(train, test, rows, cols))
            if (gzip) File.WriteAllBytes(Path.Combine(folder, name + ".gz"), Gzip(bytes));
            else File.WriteAllBytes(Path.Combine(folder, name), bytes);
    }

    /// <summary>The raw (uncompressed) bytes of the four files, by name without .gz.</summary>
    public static IEnumerable<(string Name, byte[] Bytes)> DatasetFiles(int train = 7, int test = 3, int rows = 4, int cols = 5)
    {
        yield return ("train-images-idx3-ubyte", Images(train, rows, cols));
        yield return ("train-labels-idx1-ubyte", Labels(train));
        yield return ("t10k-images-idx3-ubyte", Images(test, rows, cols, salt: 100));
        yield return ("t10k-labels-idx1-ubyte", Labels(test));
    }
}

/// <summary>A temporary folder deleted on dispose.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder() => Path = Directory.CreateTempSubdirectory("elbo-data").FullName;

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
    }
}
