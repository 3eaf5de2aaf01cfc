using Elbo.Data;
using Elbo.Data.Tables;
using Elbo.Engine.Autograd;
using Elbo.Likelihoods;
using Elbo.Models;
using Elbo.Serialization;
using Elbo.Tests.Tables;

namespace Elbo.Tests.Export;

/// <summary>Run configurations and models for the export tests, and the real data they are checked on: Fashion-MNIST
/// test images (Debian's dataset-fashion-mnist) and table rows (Boston housing from python3-sklearn, and the mixed
/// fixture with booleans, categories and missing values).</summary>
internal static class ExportFixtures
{
    /// <summary>Fashion-MNIST's pictures.</summary>
    public static readonly DataShape Picture = DataShape.Grey(28, 28);

    private static readonly Lazy<Dataset> FashionTest = new(() => DataSource.Resolve(DataSource.DebianFashionMnistDirectory).Test);

    /// <summary>The first <paramref name="n"/> Fashion-MNIST test images (n, 784) in [0, 1] and their labels.</summary>
    public static (Tensor X, int[] Labels) FashionMnist(int n) => Rows(FashionTest.Value, n);

    /// <summary>The configuration of a small run of <paramref name="model"/> with <paramref name="likelihood"/> on
    /// <paramref name="input"/> (hidden 32, channels 8,16, latent 5).</summary>
    public static RunConfig Config(string model, string likelihood, DataShape input, int classes = 0, TableSchema? table = null,
        string normalization = "scale 1/255") => new()
    {
        Model = ModelRegistry.Specs.Get(model),
        Likelihood = LikelihoodRegistry.Specs.Get(likelihood),
        Latent = 5,
        Hidden = model == "conv" ? [] : [32],
        Channels = model == "conv" ? [8, 16] : [],
        Classes = classes > 0 ? classes : null,
        Input = input,
        Dataset = table is null ? DataSource.FashionMnist : "table.csv",
        ClassNames = table?.ClassNames?.ToArray(),
        Table = table,
        Normalization = new NormalizationConfig { Kind = table?.Describe() ?? normalization },
        Sigma = likelihood == "gaussian" ? 0.5 : null,
        Seed = 3,
        ElboVersion = "test",
    };

    /// <summary>The model of <paramref name="config"/>, its batch-norm running statistics moved off their initial
    /// 0 and 1 by a few training-mode passes over <paramref name="warmup"/>, in evaluation mode.</summary>
    public static LatentVariableModel Model(RunConfig config, Tensor warmup, int[] labels)
    {
        var model = ModelRegistry.Create(config.ModelOptions(), new Generator(config.Seed));
        model.Train();
        using (GradMode.NoGrad())
            for (int step = 0; step < 3; step++)
                model.Decode(model.Encode(warmup, labels).Location * 3f, labels);
        model.Eval();
        return model;
    }

    /// <summary>Boston housing (python3-sklearn; its count line dropped so the header comes first): 506 rows of
    /// numeric columns, the 0/1 column CHAS and the integer column RAD of 9 values, with its schema.</summary>
    public static (Dataset Rows, TableSchema Schema) Boston(Data.TempFolder dir)
    {
        var lines = File.ReadAllLines(Path.Combine(SklearnFactAttribute.Folder, "boston_house_prices.csv"));
        string path = TableFixtures.Text(dir, "boston.csv", string.Join("\n", lines[1..]) + "\n");
        var splits = TableDataSource.Load(path, new TableOptions { Categorical = ["RAD"] });
        return (splits.Train, splits.TableSchema!);
    }

    /// <summary>The mixed fixture (numeric with missing values, categorical, boolean, a label), with its schema.</summary>
    public static (Dataset Rows, TableSchema Schema) Mixed(Data.TempFolder dir)
    {
        var splits = TableDataSource.Load(TableFixtures.MixedCsv(dir), new TableOptions { Label = "species" });
        return (splits.Train, splits.TableSchema!);
    }

    /// <summary>The first <paramref name="n"/> rows of <paramref name="data"/> (n, D) and their labels.</summary>
    public static (Tensor X, int[] Labels) Rows(Dataset data, int n)
    {
        var x = Tensor.Zeros(n, data.Shape.Features);
        for (int i = 0; i < n; i++) data.CopyImage(i, x.Data.Slice(i * data.Shape.Features, data.Shape.Features));
        return (x, data.HasLabels ? data.Labels[..n].ToArray() : []);
    }
}
