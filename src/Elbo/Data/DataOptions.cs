namespace Elbo.Data;

/// <summary>
/// The settings of <c>--data</c> beyond its name: how an image folder's pictures are prepared, the share held out
/// for testing when the data have no split of their own, how many examples to take, the seed of those random
/// choices, and the threads that decode. A null field was not given: each data source has its own default (an image
/// folder's test fraction is <see cref="ImageFolder.DefaultTestFraction"/>), and a setting given for data it does not
/// apply to is refused with a <see cref="SettingException"/> naming it.
/// </summary>
public sealed record DataOptions
{
    /// <summary>How an image folder's pictures become examples.</summary>
    public ImageFolderOptions Images { get; init; } = new();

    /// <summary>The share of the examples held out as the test split, in (0, 1), for data without a split of their own.</summary>
    public double? TestFraction { get; init; }

    /// <summary>Take only this many examples (a seeded choice), for quick tries.</summary>
    public int? Limit { get; init; }

    /// <summary>The seed of the split and of the <see cref="Limit"/> choice.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>Threads that decode pictures (0: every core).</summary>
    public int Threads { get; init; }

    /// <summary>How a table file's columns are read (types, dropped columns, the label, a separate test file; its
    /// test fraction and seed are <see cref="TestFraction"/> and <see cref="Seed"/>); null: none given.</summary>
    public Tables.TableOptions? Table { get; init; }

    /// <summary>A trained run's table schema: a table file is then encoded with it rather than with one inferred anew.</summary>
    public Tables.TableSchema? TableSchema { get; init; }

    /// <summary>The table settings in full: <see cref="Table"/> with this record's test fraction (default
    /// <see cref="Tables.TableOptions.DefaultTestFraction"/>) and seed.</summary>
    public Tables.TableOptions TableOptions() =>
        (Table ?? new Tables.TableOptions()) with { TestFraction = TestFraction ?? Tables.TableOptions.DefaultTestFraction, Seed = Seed };

    /// <summary>Throws a <see cref="SettingException"/> (testFraction, limit, imageSize, crop) for a value out of range.</summary>
    public void Validate()
    {
        if (TestFraction is { } f && !(f > 0 && f < 1))
            throw new SettingException("testFraction", $"must be between 0 and 1 (exclusive), got {f}");
        if (Limit is { } n && n < 2)
            throw new SettingException("limit", $"must be at least 2 (one example to train on, one to test), got {n}");
        Images.Validate();
    }
}
