using Elbo.Cli;
using Elbo.Tests.Data;

namespace Elbo.Cli.Tests;

/// <summary>Base of the end-to-end tests: runs the elbo command in process with captured output, on small generated
/// IDX data in a temporary folder deleted afterwards.</summary>
public abstract class CliTestBase : IDisposable
{
    protected readonly string _dir = Directory.CreateTempSubdirectory("elbo-cli").FullName;

    public virtual void Dispose()
    {
        Directory.Delete(_dir, recursive: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>The width and height in a PNG file's header.</summary>
    protected static (int Width, int Height) PngSize(string path)
    {
        var bytes = File.ReadAllBytes(path);
        Assert.Equal(0x89, bytes[0]);
        return (System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)), System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20)));
    }

    protected (int Code, string Out, string Err) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = ElboCommand.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>8×8 IDX data: 40 training and 12 test images with labels.</summary>
    protected string Data()
    {
        string data = Path.Combine(_dir, "data");
        if (!Directory.Exists(data)) IdxFixtures.WriteDataset(data, train: 40, test: 12, rows: 8, cols: 8);
        return data;
    }

    // A small training run; extra "--option value" pairs replace the defaults given here, flags are appended.
    protected string[] Train(string run, params string[] extra)
    {
        var options = new List<(string Name, string? Value)>
        {
            ("--data", Data()), ("--out", run), ("--latent", "3"), ("--hidden", "16"), ("--batch-size", "16"), ("--epochs", "2"), ("--lr", "0.01"),
        };
        for (int i = 0; i < extra.Length; i++)
        {
            bool flag = i + 1 >= extra.Length || extra[i + 1].StartsWith("--", StringComparison.Ordinal);
            string? value = flag ? null : extra[i + 1];
            int at = options.FindIndex(o => o.Name == extra[i]);
            if (at >= 0) options[at] = (extra[i], value);
            else options.Add((extra[i], value));
            if (!flag) i++;
        }
        var args = new List<string> { "train" };
        foreach (var (name, value) in options)
        {
            args.Add(name);
            if (value != null) args.Add(value);
        }
        return [.. args];
    }

    /// <summary>A trained run folder (2 epochs of a small MLP VAE, or the model given in <paramref name="extra"/>).</summary>
    protected string TrainedRun(string name = "run", params string[] extra)
    {
        string run = Path.Combine(_dir, name);
        var (code, _, err) = Run(Train(run, extra));
        Assert.True(code == 0, err);
        return run;
    }
}
