using System.Globalization;
using Elbo.Api;
using Elbo.Data;
using Elbo.Data.Tables;
using Elbo.Likelihoods;
using Elbo.Models;
using Elbo.Objectives;
using Elbo.Serialization;
using Elbo.Tests.Data;
using Elbo.Training;

namespace Elbo.Server.Tests;

/// <summary>
/// Trained runs, each served on the loopback at a free port, for every test of the <see cref="ServedRunsCollection"/>
/// (trained once for all of them): an MLP VAE on Fashion-MNIST (Debian's dataset-fashion-mnist; one epoch), a
/// conditional VAE on small 8×8 IDX data, and a VAE of a table (numeric, categorical, boolean and label columns,
/// some cells missing). Each comes with the library's own view of the same run (<see cref="ElboModel"/>) for the
/// tests to compare the server's answers with.
/// </summary>
public sealed class ServedRuns : IAsyncLifetime
{
    /// <summary>The Fashion-MNIST server's limits: small enough that a test can go beyond each cheaply.</summary>
    public static readonly ServerLimits FashionLimits = new() { MaxBodyBytes = 1 << 20, MaxExamples = 64, MaxK = 500, MaxImportanceSamples = 8192, MaxSteps = 32 };

    public string Dir { get; } = Directory.CreateTempSubdirectory("elbo-serve").FullName;

    public Served Fashion { get; private set; } = null!;

    public Served Conditional { get; private set; } = null!;

    public Served Table { get; private set; } = null!;

    /// <summary>The table file the table run trained on.</summary>
    public string TableFile { get; private set; } = "";

    public async Task InitializeAsync()
    {
        string fashion = Train("fashion", "mlp", DataSource.FashionMnist, latent: 4, hidden: 128, epochs: 1, batch: 128);
        string idx = Path.Combine(Dir, "idx");
        IdxFixtures.WriteDataset(idx, train: 40, test: 12, rows: 8, cols: 8);
        string conditional = Train("cvae", "cvae", idx, latent: 3, hidden: 16, epochs: 2, batch: 16);
        TableFile = WriteTable(Path.Combine(Dir, "t.csv"));
        string table = Train("table", "mlp", TableFile, latent: 2, hidden: 16, epochs: 20, batch: 16, likelihood: "tabular",
            options: new DataOptions { Table = new TableOptions { Label = "kind" } });
        Fashion = await Served.StartAsync(fashion, FashionLimits, points: 500);
        Conditional = await Served.StartAsync(conditional, new ServerLimits());
        Table = await Served.StartAsync(table, new ServerLimits());
    }

    public async Task DisposeAsync()
    {
        foreach (var s in new[] { Fashion, Conditional, Table })
            if (s is not null) await s.DisposeAsync();
        Directory.Delete(Dir, recursive: true);
    }

    private string Train(string name, string model, string data, int latent, int hidden, int epochs, int batch,
        string likelihood = "bernoulli", DataOptions? options = null)
    {
        string run = Path.Combine(Dir, name);
        var config = new RunConfig
        {
            Model = ModelRegistry.Specs.Get(model), Likelihood = LikelihoodRegistry.Specs.Get(likelihood), Latent = latent, Hidden = [hidden],
            Epochs = epochs, BatchSize = batch, Lr = 1e-2, Beta = 1, Kl = KlEstimator.Closed, Seed = 5,
        };
        Trainer.Create(config, data, run, RunMode.New, dataOptions: options).Run();
        return run;
    }

    // 120 rows: a numeric x (missing in every tenth row), y = 2x + noise, a category that is x's sign, a yes/no flag
    // and a label column.
    private static string WriteTable(string path)
    {
        var rng = new Random(3);
        var lines = new List<string> { "x,y,side,flag,kind" };
        for (int i = 0; i < 120; i++)
        {
            double x = rng.NextDouble() * 4 - 2, y = 2 * x + 0.1 * (rng.NextDouble() - 0.5);
            string xs = i % 10 == 4 ? "" : x.ToString("F3", CultureInfo.InvariantCulture);
            lines.Add($"{xs},{y.ToString("F3", CultureInfo.InvariantCulture)},{(x > 0 ? "right" : "left")},{(i % 3 == 0 ? "yes" : "no")},{(i % 7 == 0 ? "odd" : "usual")}");
        }
        File.WriteAllText(path, string.Join("\n", lines) + "\n");
        return path;
    }
}

/// <summary>One run served: the server, a client of it, and the library's view of the same run.</summary>
public sealed class Served : IAsyncDisposable
{
    private Served(string run, ModelServer server, ElboModel library, Dataset test)
    {
        Run = run;
        Server = server;
        Library = library;
        Test = test;
        Client = new HttpClient { BaseAddress = server.Address, Timeout = TimeSpan.FromMinutes(2) };
        Api = new ApiClient(Client);
    }

    public string Run { get; }

    public ModelServer Server { get; }

    public HttpClient Client { get; }

    public ApiClient Api { get; }

    /// <summary>The run loaded by the library (Elbo.Api.ElboModel), independently of the server.</summary>
    public ElboModel Library { get; }

    /// <summary>The run's test split, loaded by the library.</summary>
    public Dataset Test { get; }

    public static async Task<Served> StartAsync(string run, ServerLimits limits, int points = ServedRun.DefaultPoints)
    {
        var served = ServedRun.Load(run, points: points);
        var server = await ModelServer.StartAsync(served, new ServerOptions { Port = 0, Limits = limits });
        var library = ElboModel.Load(run);
        var test = TrainedRun.LoadData(library.Config).Test;
        return new Served(run, server, library, test);
    }

    /// <summary>Test examples <paramref name="indices"/> as the model reads them, one row each.</summary>
    public float[,] Examples(params int[] indices)
    {
        var x = new float[indices.Length, Test.Features];
        var row = new float[Test.Features];
        for (int i = 0; i < indices.Length; i++)
        {
            Test.CopyImage(indices[i], row);
            for (int j = 0; j < row.Length; j++) x[i, j] = row[j];
        }
        return x;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class ServedRunsCollection : ICollectionFixture<ServedRuns>
{
    public const string Name = "served runs";
}
