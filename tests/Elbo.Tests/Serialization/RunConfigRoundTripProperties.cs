using System.Collections;
using System.Reflection;
using CsCheck;
using Elbo.Data;
using Elbo.Data.Tables;
using Elbo.Likelihoods;
using Elbo.Models;
using Elbo.Objectives;
using Elbo.Serialization;

namespace Elbo.Tests.Serialization;

/// <summary>
/// Property tests (CsCheck): random run configurations, every field set (the table schema, the table options, the
/// image options, the GEMM record, the normalization statistics among them), written by <see cref="RunConfigFile.ToJson"/>
/// and parsed by <see cref="RunConfigFile.FromJson"/>: every stored field comes back equal — compared field by field by
/// reflection, so a field added to the record later is compared too — and writing what was read gives the same text.
/// </summary>
public class RunConfigRoundTripProperties
{
    // Any Unicode text (JSON's specials, control characters, Latin-1, CJK, beyond the BMP), never a lone surrogate.
    private static readonly Gen<string> Text = Gen.Frequency(
            (6, Gen.Int[0x20, 0x7E]), (1, Gen.Int[0x00, 0x1F]), (1, Gen.Int[0xA0, 0xFF]),
            (1, Gen.Int[0x4E00, 0x4E40]), (1, Gen.Int[0x1F600, 0x1F640]))
        .Array[0, 10].Select(points => string.Concat(points.Select(char.ConvertFromUtf32)));

    private static Gen<T> OneOf<T>(IReadOnlyList<T> items) => Gen.Int[0, items.Count - 1].Select(i => items[i]);

    // Full-precision doubles (the JSON must carry all 17 digits), and NaN where a table's statistics may hold it.
    private static readonly Gen<double> Statistic = Gen.Frequency((8, Gen.Double[-1e6, 1e6]), (1, Gen.Const(double.NaN)));

    // A kind is always given: FromJson fills in an unspecified one from the shape (files from before kinds), on purpose.
    private static readonly Gen<DataShape> Shapes =
        from kind in Gen.OneOf(DataKind.Image, DataKind.Table, DataKind.Points)
        from channels in Gen.Int[1, 3]
        from height in Gen.Int[1, 256]
        from width in Gen.Int[1, 256]
        select new DataShape(channels, height, width) { Kind = kind };

    private static readonly Gen<ImageFolderOptions> ImageOptions =
        from size in Gen.Int[1, ImageFolderOptions.MaxSide].Nullable()
        from crop in Gen.Int[1, 8 * ImageFolderOptions.MaxSide].Nullable()
        from color in Gen.Enum<ImageColor>().Nullable()
        from background in Gen.Enum<ImageBackground>().Nullable()
        select new ImageFolderOptions { ImageSize = size, Crop = crop, Color = color, Background = background };

    private static readonly Gen<TableSchemaColumn> SchemaColumns =
        from name in Text
        from type in Gen.Enum<TableColumnType>()
        from source in Gen.Enum<TableValueType>()
        from integer in Gen.Bool
        from categories in Text.Array[0, 5]
        from stats in Statistic.Array[4]
        from missing in Gen.Double[0, 1]
        from note in Text.Null()
        select new TableSchemaColumn
        {
            Name = name, Type = type, Source = source, Integer = integer, Categories = categories,
            Mean = stats[0], Std = stats[1], Min = stats[2], Max = stats[3], MissingRate = missing, Note = note,
        };

    private static readonly Gen<TableSchema> Schemas =
        from columns in SchemaColumns.Array[0, 6]
        from coerce in Gen.Bool
        from trainRows in Gen.Int[0, 1_000_000]
        select new TableSchema { Columns = columns, Coerce = coerce, TrainRows = trainRows };

    private static readonly Gen<TableOptions> TableSettings =
        from categorical in Text.Array[0, 3]
        from numeric in Text.Array[0, 3]
        from drop in Text.Array[0, 3]
        from label in Text.Null()
        from coerce in Gen.Bool
        from testFraction in Gen.Double[0, 1]
        from test in Text.Null()
        from seed in Gen.ULong
        from maxCategories in Gen.Int[1, 10_000]
        from maxIntegerCategories in Gen.Int[1, 10_000]
        from maxIntegerFraction in Gen.Double[0, 1]
        select new TableOptions
        {
            Categorical = categorical, Numeric = numeric, Drop = drop, Label = label, Coerce = coerce, TestFraction = testFraction,
            Test = test, Seed = seed, MaxCategories = maxCategories, MaxIntegerCategories = maxIntegerCategories,
            MaxIntegerCategoryFraction = maxIntegerFraction,
        };

    private static readonly Gen<NormalizationConfig> Normalizations =
        from kind in Gen.Frequency((3, Gen.OneOf("none", "unit", "standardize")), (1, Text))
        from channels in Gen.Int[1, 3]
        from mean in Gen.Double[-1e3, 1e3].Array[channels].Null()
        from std in Gen.Double[1e-6, 1e3].Array[channels].Null()
        select new NormalizationConfig { Kind = kind, Mean = mean, Std = std };

    private static readonly Gen<double> Rate = Gen.Double[0, 1e4];

    private static readonly Gen<GemmRecord> Gemms =
        from backend in Gen.OneOf("managed", "openblas")
        from rates in Rate.Nullable().Array[3]
        from threads in Gen.Int[1, 256]
        from source in Gen.OneOf("measured", "cached", "ELBO_GEMM")
        from fewRows in Gen.OneOf("managed", "openblas").Null()
        select new GemmRecord(backend, rates[0], rates[1], rates[2], threads, source) { FewRowsBackend = fewRows };

    private static readonly Gen<RunConfig> Architectures =
        from model in OneOf(ModelRegistry.Specs.All)
        from likelihood in OneOf(LikelihoodRegistry.Specs.All)
        from objective in OneOf(ObjectiveRegistry.Specs.All)
        from k in Gen.Int[1, 1000].Nullable()
        from latent in Gen.Int[1, 512]
        from hidden in Gen.Int[1, 4096].Array[0, 4]
        from channels in Gen.Int[1, 512].Array[0, 4]
        from classes in Gen.Int[2, 1000].Nullable()
        from input in Shapes
        from sigma in Gen.Double[1e-6, 10].Nullable()
        select new RunConfig
        {
            Model = model, Likelihood = likelihood, Objective = objective, K = k, Latent = latent, Hidden = hidden,
            Channels = channels, Classes = classes, Input = input, Sigma = sigma,
        };

    private static readonly Gen<RunConfig> Configs =
        from architecture in Architectures
        from dataset in Text
        from images in ImageOptions.Null()
        from testFraction in Gen.Double[0, 1].Nullable()
        from limit in Gen.Int[1, int.MaxValue].Nullable()
        from classNames in Text.Array[0, 5].Null()
        from cacheDir in Text.Null()
        from table in Schemas.Null()
        from tableOptions in TableSettings.Null()
        from normalization in Normalizations
        from training in Gen.Select(Gen.Int[1, 10_000], Gen.Int[1, 65_536], Gen.Double[1e-8, 1], Gen.Double[0, 100])
        from regularization in Gen.Select(Gen.Int[0, 1000], Gen.Double[0, 10], Gen.Enum<KlEstimator>())
        from seed in Gen.ULong
        from threads in Gen.Int[1, 256]
        from gemm in Gemms.Null()
        from version in Text
        select architecture with
        {
            Dataset = dataset, Images = images, TestFraction = testFraction, Limit = limit, ClassNames = classNames,
            CacheDir = cacheDir, Table = table, TableOptions = tableOptions, Normalization = normalization,
            Epochs = training.Item1, BatchSize = training.Item2, Lr = training.Item3, Beta = training.Item4,
            Warmup = regularization.Item1, FreeBits = regularization.Item2, Kl = regularization.Item3,
            Seed = seed, Threads = threads, Gemm = gemm, ElboVersion = version,
        };

    /// <summary>The path of the first stored field where <paramref name="expected"/> and <paramref name="actual"/>
    /// differ, or null when none does. A stored field is a public property with a setter (computed ones follow from
    /// them); registry specs are compared by identity, lists element by element, doubles bit for bit (NaN equals NaN).</summary>
    private static string? FirstDifference(object? expected, object? actual, string path)
    {
        if (expected is null || actual is null) return expected is null && actual is null ? null : path;
        switch (expected)
        {
            case ISpec: return ReferenceEquals(expected, actual) ? null : path;
            case double d: return actual is double a && BitConverter.DoubleToInt64Bits(d) == BitConverter.DoubleToInt64Bits(a) ? null : path;
            case string or bool or int or long or ulong or Enum: return expected.Equals(actual) ? null : path;
            case IEnumerable items:
                var left = items.Cast<object?>().ToList();
                var right = ((IEnumerable)actual).Cast<object?>().ToList();
                if (left.Count != right.Count) return $"{path}.Count";
                for (int i = 0; i < left.Count; i++)
                    if (FirstDifference(left[i], right[i], $"{path}[{i}]") is { } inner) return inner;
                return null;
        }
        Assert.Equal(expected.GetType(), actual.GetType());
        foreach (var property in expected.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.SetMethod is not { IsPublic: true } || property.GetIndexParameters().Length > 0) continue;
            if (FirstDifference(property.GetValue(expected), property.GetValue(actual), $"{path}.{property.Name}") is { } inner) return inner;
        }
        return null;
    }

    [Fact]
    public void WritingThenReadingGivesBackEveryField()
    {
        Configs.Sample(config =>
        {
            string json = RunConfigFile.ToJson(config);
            var back = RunConfigFile.FromJson(json, "config.json");
            Assert.Null(FirstDifference(config, back, "$"));
            Assert.Equal(json, RunConfigFile.ToJson(back));
        }, iter: 300);
    }

    [Fact]
    public void TheGeneratorSetsEveryStoredField()
    {
        // The round trip above proves only what the generator varies: every stored field of the record must differ from
        // its default in some sample (a field added to RunConfig fails here until the generator sets it).
        var defaults = new RunConfig();
        var samples = Configs.Array[200].Single();
        foreach (var property in typeof(RunConfig).GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.SetMethod is not { IsPublic: true }) continue;
            object? value = property.GetValue(defaults);
            Assert.True(samples.Any(s => FirstDifference(value, property.GetValue(s), property.Name) is not null),
                $"no sample sets RunConfig.{property.Name}");
        }
    }
}
