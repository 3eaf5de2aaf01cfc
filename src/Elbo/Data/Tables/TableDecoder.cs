namespace Elbo.Data.Tables;

/// <summary>
/// Turns rows in the encoded layout of a <see cref="TableSchema"/> back into a <see cref="Table"/> in original units:
/// numeric slices hold standardized values (a Gaussian's mean or a draw from it: the caller decides) and are
/// un-standardized, rounded for integer columns and optionally clipped to the training range; categorical slices hold
/// logits or probabilities and give the most likely category or a draw; boolean slices hold a logit or a probability
/// and give the value by threshold (p ≥ 0.5) or a draw. Values come back stored as the file stored them (integer
/// categories as integers, booleans as booleans or their spellings). The output has the encoded columns only, in file
/// order.
/// </summary>
public static class TableDecoder
{
    /// <summary>Decodes <paramref name="rows"/> rows of <paramref name="values"/> (rows × <see cref="TableSchema.Width"/>,
    /// row-major).</summary>
    /// <param name="schema">The schema the values were encoded with.</param>
    /// <param name="values">The encoded values, rows × <see cref="TableSchema.Width"/>.</param>
    /// <param name="rows">The number of rows.</param>
    /// <param name="options">How to decode (threshold or draw, clipping, missing values); the defaults when null.</param>
    /// <param name="generator">The random source for sampling and missing values (required by those options).</param>
    /// <param name="source">What the table is called in messages.</param>
    public static Table Decode(TableSchema schema, ReadOnlySpan<float> values, int rows, TableDecodeOptions? options = null,
        Generator? generator = null, string source = "(decoded)")
    {
        ArgumentNullException.ThrowIfNull(schema);
        options ??= new TableDecodeOptions();
        int width = schema.Width;
        if (rows < 0 || values.Length != (long)rows * width)
            throw new ArgumentException($"{values.Length} values for {rows} rows of {width}", nameof(values));
        if ((options.Sample || options.ReproduceMissing) && generator is null)
            throw new ArgumentException("sampling and missing values need a generator", nameof(generator));
        var columns = new List<TableColumn>(schema.Encoded.Count);
        foreach (var spec in schema.Columns)
        {
            if (!spec.IsEncoded) continue;               // file order, whatever the encoded layout's
            var slice = schema.Encoded.First(e => e.Name == spec.Name);
            double[] decoded = new double[rows];
            for (int i = 0; i < rows; i++)
            {
                var cell = values.Slice(i * width + slice.Offset, slice.Width);
                decoded[i] = slice.Kind switch
                {
                    TableColumnType.Numeric => Numeric(spec, cell[0], options),
                    TableColumnType.Boolean => Boolean(cell[0], options, generator),
                    _ => Category(cell, options, generator),
                };
            }
            if (options.ReproduceMissing && spec.MissingRate > 0)
                for (int i = 0; i < rows; i++)
                    if (generator!.NextDouble() < spec.MissingRate) decoded[i] = double.NaN;
            columns.Add(Column(spec, decoded));
        }
        return new Table(source, columns);
    }

    private static double Numeric(TableSchemaColumn spec, float z, TableDecodeOptions options)
    {
        double v = z * spec.Std + spec.Mean;
        if (options.Clip) v = Math.Clamp(v, spec.Min, spec.Max);
        return spec.Integer ? Math.Round(v, MidpointRounding.AwayFromZero) : v;
    }

    private static double Boolean(float output, TableDecodeOptions options, Generator? generator)
    {
        double p = options.Probabilities ? output : 1 / (1 + Math.Exp(-output));
        return options.Sample ? (generator!.NextDouble() < p ? 1 : 0) : (p >= 0.5 ? 1 : 0);
    }

    private static double Category(ReadOnlySpan<float> outputs, TableDecodeOptions options, Generator? generator)
    {
        int best = 0;
        for (int k = 1; k < outputs.Length; k++)
            if (outputs[k] > outputs[best]) best = k;
        if (!options.Sample) return best;
        // Softmax (or normalized probabilities) and one uniform draw through the cumulative sums.
        double total = 0;
        for (int k = 0; k < outputs.Length; k++) total += Weight(outputs, k, best, options.Probabilities);
        double u = generator!.NextDouble() * total, cumulative = 0;
        for (int k = 0; k < outputs.Length; k++)
        {
            cumulative += Weight(outputs, k, best, options.Probabilities);
            if (u < cumulative) return k;
        }
        return best;
    }

    private static double Weight(ReadOnlySpan<float> outputs, int k, int best, bool probabilities) =>
        probabilities ? Math.Max(0, outputs[k]) : Math.Exp(outputs[k] - outputs[best]);

    // Decoded numbers as a column stored the way the file stored the original: categories by index → their strings
    // (or numbers for integer categories), booleans 0/1 → booleans, spellings, or 0/1 numbers.
    private static TableColumn Column(TableSchemaColumn spec, double[] decoded)
    {
        switch (spec.Type)
        {
            case TableColumnType.Numeric:
                return TableColumn.FromNumbers(spec.Name, decoded, spec.Integer);
            case TableColumnType.Boolean:
                if (spec.Source == TableValueType.Boolean) return TableColumn.FromBooleans(spec.Name, decoded);
                if (spec.Source == TableValueType.Number) return TableColumn.FromNumbers(spec.Name, decoded, true);
                return TableColumn.FromText(spec.Name, Codes(decoded), spec.Categories);
            default:
                if (spec.Source == TableValueType.Number && spec.Categories.All(c => double.TryParse(c, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _)))
                {
                    var numbers = spec.Categories.Select(c => double.Parse(c, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
                    var result = new double[decoded.Length];
                    for (int i = 0; i < result.Length; i++) result[i] = double.IsNaN(decoded[i]) ? double.NaN : numbers[(int)decoded[i]];
                    return TableColumn.FromNumbers(spec.Name, result, spec.Integer);
                }
                return TableColumn.FromText(spec.Name, Codes(decoded), spec.Categories);
        }
    }

    private static int[] Codes(double[] decoded)
    {
        var codes = new int[decoded.Length];
        for (int i = 0; i < codes.Length; i++) codes[i] = double.IsNaN(decoded[i]) ? -1 : (int)decoded[i];
        return codes;
    }

    /// <summary>The table <paramref name="original"/> with its missing cells of encoded columns filled from
    /// <paramref name="decoded"/> (a decoding of the same rows); observed cells and other columns are kept as they are.
    /// For imputation.</summary>
    public static Table FillMissing(Table original, Table decoded)
    {
        ArgumentNullException.ThrowIfNull(original);
        ArgumentNullException.ThrowIfNull(decoded);
        if (decoded.RowCount != original.RowCount)
            throw new ArgumentException($"{decoded.RowCount} decoded rows for {original.RowCount}", nameof(decoded));
        var columns = new List<TableColumn>(original.Columns.Count);
        foreach (var column in original.Columns)
        {
            var fill = decoded.Find(column.Name);
            if (fill is null || column.MissingCount() == 0)
            {
                columns.Add(column);
                continue;
            }
            var texts = new string?[column.Count];
            bool numeric = column.Codes is null && fill.Codes is null;
            var numbers = numeric ? new double[column.Count] : null;
            for (int i = 0; i < texts.Length; i++)
            {
                bool missing = column.IsMissing(i);
                if (numeric) numbers![i] = missing ? fill.Numbers![i] : column.Numbers![i];
                else texts[i] = missing ? fill.Text(i) : column.Text(i);
            }
            columns.Add(numeric
                ? column.Type switch
                {
                    TableValueType.Boolean => TableColumn.FromBooleans(column.Name, numbers!),
                    TableValueType.Date => TableColumn.FromDates(column.Name, numbers!),
                    _ => TableColumn.FromNumbers(column.Name, numbers!, column.IsInteger && fill.IsInteger),
                }
                : TableColumn.FromStrings(column.Name, texts));
        }
        return new Table(original.Source, columns);
    }
}
