using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Elbo.Serialization;

namespace Elbo.Data;

/// <summary>
/// The decoded pixels of an image folder, kept on disk so that a second run (and every later command on the run)
/// starts in seconds: one file per folder listing and preprocessing, named by a SHA-256 key of the folder's path,
/// every picture's relative path, size and modification time, and the resolved <see cref="ImageFolderOptions"/>.
/// A changed, added or removed picture or another option makes another key, so a stale cache is never read. The file
/// is <c>ELBOIMG1</c>, a little-endian int32 length and a UTF-8 JSON header (the key, the bytes per picture and the
/// decoding error of each listed picture, null when it decoded), then every listed picture's C·S·S bytes in order
/// (zeros for one that failed). It is written atomically (<see cref="AtomicFile"/>); a file that does not read back
/// whole is a miss, never an error.
/// </summary>
public static class ImageCache
{
    private static readonly byte[] Magic = "ELBOIMG1"u8.ToArray();

    /// <summary>The environment-free default folder: <c>$XDG_CACHE_HOME/elbo/images</c>, else <c>~/.cache/elbo/images</c>.</summary>
    public static string DefaultDirectory() => DirectoryFor(
        Environment.GetEnvironmentVariable("XDG_CACHE_HOME"), Environment.GetFolderPath(Environment.SpecialFolder.UserProfile));

    /// <summary>The cache folder for the given <c>XDG_CACHE_HOME</c> and home (a relative or empty
    /// <c>XDG_CACHE_HOME</c> is ignored, as the XDG spec says).</summary>
    internal static string DirectoryFor(string? xdgCacheHome, string? home)
    {
        if (!string.IsNullOrEmpty(xdgCacheHome) && Path.IsPathRooted(xdgCacheHome)) return Path.Combine(xdgCacheHome, "elbo", "images");
        if (string.IsNullOrEmpty(home)) home = Path.GetTempPath();
        return Path.Combine(home, ".cache", "elbo", "images");
    }

    /// <summary>The key of decoding <paramref name="entries"/> of the folder <paramref name="root"/> with the resolved
    /// <paramref name="options"/>: 64 hex digits.</summary>
    public static string Key(string root, IReadOnlyList<ImageEntry> entries, ImageFolderOptions options)
    {
        var text = new StringBuilder("elbo image cache 1\n");
        text.Append("root\t").Append(root).Append('\n');
        text.Append("options\t").Append(options.ImageSize).Append('\t').Append(options.Crop?.ToString() ?? "square").Append('\t')
            .Append(options.Color).Append('\t').Append(options.Background).Append('\t').Append(ImageDecoder.MaxPixels).Append('\n');
        foreach (var e in entries)
            text.Append(e.RelativePath).Append('\t').Append(e.Size).Append('\t').Append(e.ModifiedTicks).Append('\n');
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    /// <summary>The cache file of <paramref name="key"/> for the folder named <paramref name="folderName"/> in
    /// <paramref name="directory"/>.</summary>
    public static string PathOf(string directory, string folderName, string key)
    {
        var name = new StringBuilder();
        foreach (char ch in folderName) name.Append(char.IsAsciiLetterOrDigit(ch) || ch is '-' or '_' or '.' ? ch : '_');
        return Path.Combine(directory, $"{(name.Length == 0 ? "images" : name)}-{key[..16]}.u8");
    }

    private sealed record Header(string Key, int Features, string?[] Errors);

    /// <summary>Reads the cache file at <paramref name="path"/> for <paramref name="key"/> and <paramref name="count"/>
    /// pictures of <paramref name="features"/> bytes: the pixels and each picture's error (null when it decoded), or
    /// null when the file is missing, of another key, or incomplete.</summary>
    public static (ImageBytes Pixels, string?[] Errors)? TryRead(string path, string key, int count, int features)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
            Span<byte> start = stackalloc byte[12];
            stream.ReadExactly(start);
            if (!start[..8].SequenceEqual(Magic)) return null;
            int headerLength = BinaryPrimitives.ReadInt32LittleEndian(start[8..]);
            if (headerLength <= 0 || headerLength > 64 << 20) return null;
            var headerBytes = new byte[headerLength];
            stream.ReadExactly(headerBytes);
            var header = JsonSerializer.Deserialize<Header>(headerBytes);
            if (header is null || header.Key != key || header.Features != features || header.Errors?.Length != count) return null;
            if (stream.Length != 12 + headerLength + (long)count * features) return null;
            var pixels = new ImageBytes(count, features);
            foreach (var chunk in pixels.Chunks) stream.ReadExactly(chunk);
            return (pixels, header.Errors);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or NotSupportedException)
        {
            return null;
        }
    }

    /// <summary>Writes the cache file at <paramref name="path"/> atomically.</summary>
    public static void Write(string path, string key, ImageBytes pixels, string?[] errors)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        ArgumentNullException.ThrowIfNull(errors);
        if (errors.Length != pixels.Count) throw new ArgumentException($"{errors.Length} errors for {pixels.Count} pictures", nameof(errors));
        byte[] header = JsonSerializer.SerializeToUtf8Bytes(new Header(key, pixels.Features, errors));
        AtomicFile.Write(path, stream =>
        {
            stream.Write(Magic);
            Span<byte> length = stackalloc byte[4];
            BinaryPrimitives.WriteInt32LittleEndian(length, header.Length);
            stream.Write(length);
            stream.Write(header);
            foreach (var chunk in pixels.Chunks) stream.Write(chunk);
        });
    }
}
