using CsCheck;
using Elbo.Data;

namespace Elbo.Tests.Data;

/// <summary>
/// Property tests (CsCheck): random IDX files of unsigned bytes, raw or gzipped, read back by <see cref="IdxReader"/>;
/// and the same files cut short or with bytes after them, refused. src/ only reads IDX (MNIST's files are written by
/// others), so the files are made by the test-side encoder <see cref="IdxFixtures.Idx"/>, written from the format's
/// definition (LeCun's MNIST page: magic <c>00 00 08 dd</c>, <c>dd</c> big-endian 32-bit sizes, the elements
/// row-major), not from the reader.
/// </summary>
public class IdxRoundTripProperties
{
    // 1 to 4 dimensions of 0 to 6 (an empty file is valid: a size of 0 holds no elements), and every byte value.
    private static readonly Gen<(int[] Dims, byte[] Data)> Contents =
        from dims in Gen.Int[0, 6].Array[1, 4]
        from data in Gen.Byte.Array[dims.Aggregate(1, (n, d) => n * d)]
        select (dims, data);

    // How the file reaches the reader: raw or gzipped, from a stream that can seek or one that cannot (buffered first).
    private static readonly Gen<(bool Gzip, bool Seekable)> Delivery = Gen.Select(Gen.Bool, Gen.Bool);

    private static IdxFile Read(byte[] file, bool gzip, bool seekable, int? expectedRank = null)
    {
        byte[] bytes = gzip ? IdxFixtures.Gzip(file) : file;
        Stream stream = seekable ? new MemoryStream(bytes) : new ForwardOnlyStream(bytes);
        return IdxReader.Read(stream, "generated.idx", expectedRank);
    }

    [Fact]
    public void WritingThenReadingGivesTheSameSizesAndBytes()
    {
        Gen.Select(Contents, Delivery).Sample((contents, delivery) =>
        {
            var (dims, data) = contents;
            var idx = Read(IdxFixtures.Idx(dims, data), delivery.Gzip, delivery.Seekable, expectedRank: dims.Length);
            Assert.Equal(dims, idx.Dimensions);
            Assert.Equal(data, idx.Data);
        }, iter: 300);
    }

    [Fact]
    public void AFileCutShortOrWithBytesAfterItIsAFormatError()
    {
        // a cut at a fraction of the length (0 leaves nothing), or 1 to 8 bytes appended
        var damage = Gen.OneOf(
            Gen.Double[0, 0.999].Select(at => (Cut: (double?)at, Extra: Array.Empty<byte>())),
            Gen.Byte.Array[1, 8].Select(extra => (Cut: (double?)null, Extra: extra)));
        Gen.Select(Contents, Delivery, damage).Sample((contents, delivery, d) =>
        {
            byte[] file = IdxFixtures.Idx(contents.Dims, contents.Data);
            byte[] damaged = d.Cut is double at ? file[..(int)(at * file.Length)] : [.. file, .. d.Extra];
            Assert.Throws<DataFormatException>(() => Read(damaged, delivery.Gzip, delivery.Seekable));
        }, iter: 300);
    }

    [Fact]
    public void AGzippedFileCutShortOrWithAByteChangedIsRefusedOrReadsAsItWas()
    {
        // Damage to the gzip stream itself: a byte changed anywhere (header, deflate data, CRC-32, length) or the stream
        // cut. The reader must refuse it or read the very file that was compressed. A change is never read as other
        // data: zlib checks the CRC-32 of what it inflated. A cut is accepted when what is left still inflates to the
        // whole IDX file (the cut took only the trailer or the final block's last bits, and .NET's GZipStream ends
        // quietly at a stream's end), and then nothing is lost.
        var damage = Gen.Select(Gen.Bool, Gen.Double[0, 0.999], Gen.Byte[1, 255]);
        Gen.Select(Contents, damage).Sample((contents, d) =>
        {
            var (cut, at, xor) = d;
            byte[] gz = IdxFixtures.Gzip(IdxFixtures.Idx(contents.Dims, contents.Data));
            int i = (int)(at * gz.Length);
            if (cut) gz = gz[..i];
            else gz[i] ^= xor;
            IdxFile idx;
            try
            {
                idx = IdxReader.Read(new MemoryStream(gz), "generated.idx.gz");
            }
            catch (DataFormatException)
            {
                return;
            }
            Assert.Equal(contents.Dims, idx.Dimensions);
            Assert.Equal(contents.Data, idx.Data);
        }, iter: 1000);
    }
}
