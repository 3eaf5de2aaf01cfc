using System.Globalization;
using System.Text;
using Elbo.Serialization;

namespace Elbo.Evaluation;

/// <summary>Latent codes as CSV (<c>elbo encode</c>), for dimensionality reduction and plotting in other tools: a
/// header <c>index,label</c> and L columns per parameter of q (<see cref="Distributions.PosteriorFamily.ParameterNames"/>:
/// <c>mu_0..mu_{L-1},logvar_0..logvar_{L-1}</c> for a VAE, <c>mu_0..mu_{L-1}</c> for an autoencoder's code), then
/// one line per example. Numbers use the invariant culture; floats are written round-trippable ("R": parsing a
/// value gives back the same float). A missing label is -1.</summary>
public static class LatentCsv
{
    /// <summary>The header line (without line end).</summary>
    public static string Header(int latent, IReadOnlyList<string> parameters)
    {
        var sb = new StringBuilder("index,label");
        foreach (string name in parameters)
            for (int u = 0; u < latent; u++) sb.Append(',').Append(name).Append('_').Append(u.ToString(CultureInfo.InvariantCulture));
        return sb.ToString();
    }

    /// <summary>Writes <paramref name="codes"/> to <paramref name="writer"/>; example i gets index
    /// <paramref name="firstIndex"/> + i. Lines end with '\n'.</summary>
    public static void Write(TextWriter writer, LatentCodes codes, int firstIndex = 0)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(codes);
        var c = CultureInfo.InvariantCulture;
        var names = codes.Family.ParameterNames;
        writer.Write(Header(codes.Latent, names));
        writer.Write('\n');
        var line = new StringBuilder();
        for (int i = 0; i < codes.Count; i++)
        {
            line.Clear();
            line.Append((firstIndex + i).ToString(c)).Append(',').Append(codes.Labels[i].ToString(c));
            for (int p = 0; p < names.Count; p++)
                foreach (float v in codes.ParameterOf(p, i)) line.Append(',').Append(v.ToString("R", c));
            line.Append('\n');
            writer.Write(line);
        }
    }

    /// <summary>Writes <paramref name="codes"/> to <paramref name="path"/> atomically (UTF-8, no byte-order mark): an
    /// existing file is replaced only when the whole CSV has been written.</summary>
    public static void Write(string path, LatentCodes codes)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(codes);
        AtomicFile.Write(path, stream =>
        {
            using var writer = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16, leaveOpen: true);
            Write(writer, codes);
        });
    }
}
