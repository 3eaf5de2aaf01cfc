using System.Text;
using Elbo.Imaging;

namespace Elbo.Tests.Imaging;

public class Crc32Tests
{
    [Fact]
    public void TheStandardCheckValueOf123456789Is0xCBF43926()
    {
        Assert.Equal(0xCBF43926u, Crc32.Compute("123456789"u8));
    }

    [Fact]
    public void TheCrcOfTheIendChunkTypeIs0xAE426082()
    {
        Assert.Equal(0xAE426082u, Crc32.Compute("IEND"u8));
    }

    [Fact]
    public void TheCrcOfNothingIsZero()
    {
        Assert.Equal(0u, Crc32.Compute(ReadOnlySpan<byte>.Empty));
    }

    [Fact]
    public void IncrementalAppendEqualsOneShotAndTheBitwiseReference()
    {
        byte[] data = Encoding.ASCII.GetBytes("The quick brown fox jumps over the lazy dog");
        uint register = Crc32.Initial;
        for (int i = 0; i < data.Length; i += 5)
            register = Crc32.Append(register, data.AsSpan(i, Math.Min(5, data.Length - i)));
        Assert.Equal(0x414FA339u, Crc32.Finish(register));
        Assert.Equal(0x414FA339u, Crc32.Compute(data));
        var random = new Random(7);
        var bytes = new byte[1000];
        random.NextBytes(bytes);
        Assert.Equal(PngTestDecoder.BitwiseCrc32(bytes), Crc32.Compute(bytes));
    }
}
