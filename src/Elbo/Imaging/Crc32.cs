namespace Elbo.Imaging;

/// <summary>CRC-32 as PNG (and zip, gzip, Ethernet) defines it: reflected polynomial 0xEDB88320, initial value and
/// final XOR 0xFFFFFFFF. Table-driven, one byte at a time; PNG chunks are small enough that this is never the cost.</summary>
internal static class Crc32
{
    private static readonly uint[] Table = BuildTable();

    /// <summary>The value to start an incremental computation from (see <see cref="Append"/>).</summary>
    public const uint Initial = 0xFFFFFFFFu;

    /// <summary>The CRC-32 of <paramref name="data"/>.</summary>
    public static uint Compute(ReadOnlySpan<byte> data) => Finish(Append(Initial, data));

    /// <summary>Feeds <paramref name="data"/> into a running register that started at <see cref="Initial"/>.</summary>
    public static uint Append(uint register, ReadOnlySpan<byte> data)
    {
        uint[] table = Table;
        foreach (byte b in data)
            register = table[(register ^ b) & 0xFF] ^ (register >> 8);
        return register;
    }

    /// <summary>Turns a running register into the CRC value.</summary>
    public static uint Finish(uint register) => register ^ 0xFFFFFFFFu;

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++)
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            table[n] = c;
        }
        return table;
    }
}
