using System.Globalization;
using System.Net.Http;
using System.Security.Cryptography;
using Elbo.Serialization;

namespace Elbo.Data;

/// <summary>
/// Fills a cache folder with the four gzipped MNIST IDX files, downloading only those that are missing. Each file is
/// fetched from the mirrors in order, checked (MD5 when known, and parsed as IDX) in memory, and only then written
/// atomically into the folder, so the cache never holds a partial or corrupt file.
/// </summary>
public static class MnistDownloader
{
    /// <summary>Downloads into <paramref name="cacheDir"/> whichever of the four files it lacks (raw or gzipped
    /// copies already there count as present). Progress lines go to <paramref name="log"/>.</summary>
    /// <exception cref="DataNotFoundException">A file could not be fetched from any mirror, or the folder cannot be
    /// written.</exception>
    public static void EnsureFiles(string cacheDir, MnistMirrors mirrors, HttpClient http, TextWriter? log)
    {
        ArgumentNullException.ThrowIfNull(cacheDir);
        ArgumentNullException.ThrowIfNull(mirrors);
        ArgumentNullException.ThrowIfNull(http);
        foreach (string stem in IdxFolder.FileNames)
        {
            if (IdxFolder.Find(cacheDir, stem) is not null) continue;
            Download(cacheDir, stem, mirrors, http, log);
        }
    }

    private static void Download(string cacheDir, string stem, MnistMirrors mirrors, HttpClient http, TextWriter? log)
    {
        string fileName = stem + ".gz";
        bool images = stem.Contains("images", StringComparison.Ordinal);
        string? md5 = null;
        mirrors.Md5?.TryGetValue(fileName, out md5);
        var failures = new List<string>();
        foreach (string baseUrl in mirrors.BaseUrls)
        {
            string url = baseUrl.EndsWith('/') ? baseUrl + fileName : baseUrl + "/" + fileName;
            log?.WriteLine($"mnist: downloading {url}");
            byte[] bytes;
            try
            {
                bytes = Fetch(http, url);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException or MirrorException)
            {
                string why = e is TaskCanceledException ? "timed out" : IdxReader.OneLine(e.Message);
                failures.Add($"{url}: {why}");
                log?.WriteLine($"mnist: {url} failed: {why}");
                continue;
            }
            string? problem = Check(bytes, url, md5, images);
            if (problem is not null)
            {
                failures.Add(problem);
                log?.WriteLine($"mnist: rejected: {problem}");
                continue;
            }
            string target = Path.Combine(cacheDir, fileName);
            try
            {
                AtomicFile.WriteAllBytes(target, bytes);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new DataNotFoundException(
                    $"cannot write the MNIST cache file {target}: {IdxReader.OneLine(e.Message)} (use another cache folder, or pass --data PATH to a folder of IDX files)", e);
            }
            log?.WriteLine(string.Create(CultureInfo.InvariantCulture, $"mnist: saved {target} ({bytes.Length / 1e6:F1} MB)"));
            return;
        }
        string tried = failures.Count == 0 ? "no mirrors were given" : string.Join("; ", failures);
        throw new DataNotFoundException(
            $"could not download MNIST {fileName}: {tried}. Put the four MNIST files in {cacheDir} by hand, or pass --data PATH to a folder of IDX files");
    }

    private static byte[] Fetch(HttpClient http, string url)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        // ResponseContentRead: the client's timeout covers the body too, so a stalled mirror cannot hang the run.
        using HttpResponseMessage response = http.Send(request, HttpCompletionOption.ResponseContentRead);
        if (!response.IsSuccessStatusCode)
            throw new MirrorException($"HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
        using Stream body = response.Content.ReadAsStream();
        var buffer = new MemoryStream(response.Content.Headers.ContentLength is long n and > 0 and < int.MaxValue ? (int)n : 1 << 20);
        body.CopyTo(buffer);
        return buffer.ToArray();
    }

    /// <summary>The reason <paramref name="bytes"/> are not the expected file, or null when they are.</summary>
    private static string? Check(byte[] bytes, string url, string? md5, bool images)
    {
        if (md5 is not null)
        {
            string got = Convert.ToHexStringLower(MD5.HashData(bytes));
            if (!string.Equals(got, md5, StringComparison.OrdinalIgnoreCase))
                return $"{url}: MD5 {got} differs from the published {md5}";
        }
        try
        {
            using var stream = new MemoryStream(bytes, writable: false);
            IdxReader.Read(stream, url, images ? 3 : 1, images ? "image data" : "label data");
            return null;
        }
        catch (DataFormatException e)
        {
            return e.Message;
        }
    }

    /// <summary>A mirror answered, but not with the file.</summary>
    private sealed class MirrorException(string message) : Exception(message);
}
