namespace Elbo.Data.Tables;

/// <summary>
/// How a table file becomes training data. Setting names (for <see cref="SettingException"/>) are the property names
/// in camelCase: <c>categorical</c>, <c>numeric</c>, <c>drop</c>, <c>label</c>, <c>coerce</c>, <c>testFraction</c>,
/// <c>test</c>, <c>seed</c>, <c>maxCategories</c>.
/// </summary>
public sealed record TableOptions
{
    /// <summary>The default fraction of rows held out for testing.</summary>
    public const double DefaultTestFraction = 0.2;

    /// <summary>Columns to treat as categorical whatever they hold.</summary>
    public IReadOnlyList<string> Categorical { get; init; } = [];

    /// <summary>Columns to treat as numeric (cells that are not numbers are an error, or missing with
    /// <see cref="Coerce"/>).</summary>
    public IReadOnlyList<string> Numeric { get; init; } = [];

    /// <summary>Columns to leave out.</summary>
    public IReadOnlyList<string> Drop { get; init; } = [];

    /// <summary>The label column (kept out of the model; its values become integer labels and class names), or null.</summary>
    public string? Label { get; init; }

    /// <summary>Whether a cell of a numeric column that is not a number becomes missing (otherwise it is an error
    /// naming the row and column).</summary>
    public bool Coerce { get; init; }

    /// <summary>The fraction of rows held out for testing when there is no <see cref="Test"/> file, in (0, 1).</summary>
    public double TestFraction { get; init; } = DefaultTestFraction;

    /// <summary>A separate test file (same columns), or null to split the one file.</summary>
    public string? Test { get; init; }

    /// <summary>The seed of the train/test split.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>The most categories an inferred text column may have; beyond it the column is dropped with a note
    /// (naming it in <see cref="Categorical"/> keeps it).</summary>
    public int MaxCategories { get; init; } = 100;

    /// <summary>An integer column with at most this many distinct values (and at most
    /// <see cref="MaxIntegerCategoryFraction"/> of the training rows) is inferred categorical.</summary>
    public int MaxIntegerCategories { get; init; } = 20;

    /// <summary>See <see cref="MaxIntegerCategories"/>.</summary>
    public double MaxIntegerCategoryFraction { get; init; } = 0.05;
}
