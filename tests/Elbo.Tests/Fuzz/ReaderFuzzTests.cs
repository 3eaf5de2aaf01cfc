using CsCheck;
using Elbo.Data;
using Elbo.Data.Tables;
using Elbo.Tests.Data;
using Elbo.Tests.Tables;

namespace Elbo.Tests.Fuzz;

/// <summary>
/// Mutation fuzzing of the file readers a user points Elbo at: a valid CSV, Parquet file, PNG and JPEG are mutated
/// (bytes flipped, runs overwritten or inserted, the file cut short) by seeded CsCheck generators, and every result
/// must be a table or picture, or the reader's own typed error (<see cref="DataFormatException"/>,
/// <see cref="ImageDecodeException"/>) — never another exception, a hang or a crash. CsCheck prints the seed of a
/// failing case, so it can be replayed (CsCheck_Seed=…).
/// </summary>
public class ReaderFuzzTests
{
    // A mutation: (kind, position fraction, length, byte value).
    private static readonly Gen<(int Kind, double At, int Length, byte Value)[]> Mutations =
        Gen.Select(Gen.Int[0, 3], Gen.Double[0, 1], Gen.Int[1, 16], Gen.Byte, (k, a, l, v) => (k, a, l, v)).Array[1, 6];

    private static byte[] Mutate(byte[] seed, (int Kind, double At, int Length, byte Value)[] mutations)
    {
        var bytes = new List<byte>(seed);
        foreach (var (kind, at, length, value) in mutations)
        {
            if (bytes.Count == 0) break;
            int i = Math.Min(bytes.Count - 1, (int)(at * bytes.Count));
            switch (kind)
            {
                case 0: bytes[i] ^= (byte)(value | 1); break;                                        // flip bits
                case 1: for (int j = i; j < Math.Min(bytes.Count, i + length); j++) bytes[j] = value; break;  // overwrite a run
                case 2: bytes.InsertRange(i, Enumerable.Repeat(value, length)); break;               // insert a run
                default: bytes.RemoveRange(i, bytes.Count - i); break;                               // cut short
            }
        }
        return [.. bytes];
    }

    private static void Fuzz(string seedPath, Action<string> read, Func<Exception, bool> expected, int iterations)
    {
        var seed = File.ReadAllBytes(seedPath);
        string dir = Path.GetDirectoryName(seedPath)!, extension = Path.GetExtension(seedPath);
        Mutations.Sample(m =>
        {
            string path = Path.Combine(dir, Guid.NewGuid().ToString("N") + extension);   // CsCheck runs in parallel
            File.WriteAllBytes(path, Mutate(seed, m));
            try
            {
                read(path);
            }
            catch (Exception e) when (expected(e)) { }
            finally
            {
                File.Delete(path);
            }
        }, iter: iterations);
    }

    [Fact]
    public void MutatedCsvFilesReadOrFailWithAFormatError()
    {
        using var dir = new TempFolder();
        string seed = TableFixtures.MixedCsv(dir, rows: 30);
        Fuzz(seed, p => TableDataSource.Load(p, new TableOptions { Label = "species" }),
            e => e is DataFormatException or SettingException, iterations: 400);
    }

    [Fact]
    public void MutatedParquetFilesReadOrFailWithAFormatError()
    {
        using var dir = new TempFolder();
        string seed = dir.File("seed.parquet");
        TableWriter.Write(TableReader.Read(TableFixtures.MixedCsv(dir, rows: 30)), seed);
        Fuzz(seed, p => TableReader.Read(p), e => e is DataFormatException, iterations: 300);
    }

    [Theory]
    [InlineData(".png")]
    [InlineData(".jpg")]
    public void MutatedPicturesDecodeOrFailWithADecodeError(string extension)
    {
        using var dir = new TempFolder();
        string seed = dir.File("seed" + extension);
        if (extension == ".png") ImageFixtures.Png(seed, 13, 9, 4, (x, y, c) => (byte)(x * 17 + y * 5 + c * 60));
        else ImageFixtures.Jpeg(seed, 13, 9, 3, (x, y, c) => (byte)(x * 17 + y * 5 + c * 60));
        Fuzz(seed, p => ImageDecoder.DecodeRgba(p), e => e is ImageDecodeException, iterations: 400);
    }
}
