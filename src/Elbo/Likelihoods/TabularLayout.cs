namespace Elbo.Likelihoods;

/// <summary>
/// How a table's encoded rows are laid out for <see cref="TabularLikelihood"/>, columns grouped by kind so each group is
/// one contiguous block: a row x is [numeric values (N) | booleans (B) | one-hot categories (K₁ + … + K_C) | observation
/// mask (N + B + C, 1 observed, 0 missing, one per column in the same order)], and the decoder's output is
/// [means (N) | log-variances (N) | boolean logits (B) | category logits (K₁ + … + K_C)]. The encoder sees the mask
/// beside the values (missing values are 0 there), so it can tell a missing value from a zero.
/// </summary>
/// <param name="Numeric">The number of numeric columns (standardized values).</param>
/// <param name="Boolean">The number of boolean columns (0 or 1).</param>
/// <param name="Categories">The number of categories of each categorical column, in order.</param>
public sealed record TabularLayout(int Numeric, int Boolean, int[] Categories)
{
    /// <summary>The layout of rows encoded with <paramref name="schema"/> (its columns are grouped by kind as this
    /// layout needs, the observation flags follow the values: <see cref="Data.Tables.TableSchema.ModelWidth"/>).</summary>
    public static TabularLayout FromSchema(Data.Tables.TableSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        var encoded = schema.Encoded;
        return new TabularLayout(
            encoded.Count(e => e.Kind == Data.Tables.TableColumnType.Numeric),
            encoded.Count(e => e.Kind == Data.Tables.TableColumnType.Boolean),
            encoded.Where(e => e.Kind == Data.Tables.TableColumnType.Categorical).Select(e => e.Width).ToArray());
    }

    /// <summary>The number of categorical columns.</summary>
    public int Categorical => Categories.Length;

    /// <summary>The number of table columns the model sees (N + B + C): the width of the mask.</summary>
    public int Columns => Numeric + Boolean + Categorical;

    /// <summary>The width of the one-hot block (K₁ + … + K_C).</summary>
    public int CategoryWidth => Categories.Sum();

    /// <summary>The width of the value part of a row (N + B + K₁ + … + K_C), what <see cref="TabularLikelihood.Mean"/> returns.</summary>
    public int ValueWidth => Numeric + Boolean + CategoryWidth;

    /// <summary>The width of an encoded row with its mask: the model's input features.</summary>
    public int InputWidth => ValueWidth + Columns;

    /// <summary>The width of the decoder's output (2N + B + K₁ + … + K_C).</summary>
    public int OutputWidth => 2 * Numeric + Boolean + CategoryWidth;

    /// <summary>Where categorical column <paramref name="c"/>'s one-hot starts in a row (and its logits in the
    /// output, less N).</summary>
    public int CategoryOffset(int c)
    {
        int offset = Numeric + Boolean;
        for (int i = 0; i < c; i++) offset += Categories[i];
        return offset;
    }

    /// <summary>Throws a <see cref="SettingException"/> unless the counts are sizes a table can have.</summary>
    public void Validate()
    {
        if (Numeric < 0 || Boolean < 0) throw new SettingException("table", $"column counts must not be negative, got {Numeric} numeric and {Boolean} boolean");
        foreach (int k in Categories)
            if (k < 1) throw new SettingException("table", $"a categorical column needs at least one category, got {k}");
        if (Columns == 0) throw new SettingException("table", "has no columns for the model");
    }
}
