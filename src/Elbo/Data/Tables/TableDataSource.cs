namespace Elbo.Data.Tables;

/// <summary>
/// Turns a table file into training data: reads it (<see cref="TableReader"/>), splits it (<see cref="TableSplit"/>, or
/// a separate test file), infers the schema from the training rows (<see cref="TableSchema.Infer"/>), and encodes both
/// splits (<see cref="TableEncoder"/>) into <see cref="Dataset"/>s of kind table (<see cref="DataShape.Table"/> of the
/// encoded width) with their masks and the label column's labels. The schema travels with the splits
/// (<see cref="DatasetSplits.TableSchema"/>); <see cref="Load(string, TableSchema, out Table)"/> encodes a later file
/// with a saved schema.
/// </summary>
public static class TableDataSource
{
    /// <summary>Loads <paramref name="path"/> as train and test splits.</summary>
    /// <exception cref="DataNotFoundException">A file does not exist.</exception>
    /// <exception cref="DataFormatException">A file is not a usable table, the test file's columns differ, or a
    /// numeric cell is not a number (without coerce).</exception>
    /// <exception cref="SettingException">An option is invalid or names a column that is not there.</exception>
    public static DatasetSplits Load(string path, TableOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        options ??= new TableOptions();
        var table = TableReader.Read(path);
        string name = Path.GetFileNameWithoutExtension(path);
        string directory = Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";
        if (options.Test is null)
        {
            var (trainRows, testRows) = TableSplit.Random(path, table.RowCount, options.TestFraction, options.Seed);
            var schema = TableSchema.Infer(table, options, trainRows);
            var train = ToDataset($"{name}/train", schema, TableEncoder.Encode(schema, table, trainRows));
            var test = ToDataset($"{name}/test", schema, TableEncoder.Encode(schema, table, testRows));
            return new DatasetSplits(name, directory, train, test) { TableSchema = schema, ClassNames = schema.ClassNames };
        }
        else
        {
            var schema = TableSchema.Infer(table, options);
            var testTable = TableReader.Read(options.Test);
            schema.CheckColumns(testTable);
            var train = ToDataset($"{name}/train", schema, TableEncoder.Encode(schema, table));
            var test = ToDataset($"{name}/test", schema, TableEncoder.Encode(schema, testTable));
            return new DatasetSplits(name, directory, train, test) { TableSchema = schema, ClassNames = schema.ClassNames };
        }
    }

    /// <summary>The same train and test split of <paramref name="path"/> as <see cref="Load(string, TableOptions?)"/> made
    /// with <paramref name="options"/>, encoded with the run's saved <paramref name="schema"/> rather than one inferred
    /// anew (for the commands that use a trained run's data: eval, encode, plot, report, quality).</summary>
    /// <exception cref="DataFormatException">The file no longer fits the schema, or its rows changed in number.</exception>
    public static DatasetSplits Load(string path, TableSchema schema, TableOptions options)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(options);
        var table = TableReader.Read(path);
        schema.CheckColumns(table);
        string name = Path.GetFileNameWithoutExtension(path);
        string directory = Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";
        Dataset train, test;
        if (options.Test is null)
        {
            var (trainRows, testRows) = TableSplit.Random(path, table.RowCount, options.TestFraction, options.Seed);
            if (schema.TrainRows > 0 && trainRows.Length != schema.TrainRows)
                throw new DataFormatException(path, $"now splits into {trainRows.Length} training rows, and the run trained on {schema.TrainRows}: the file changed");
            train = ToDataset($"{name}/train", schema, TableEncoder.Encode(schema, table, trainRows));
            test = ToDataset($"{name}/test", schema, TableEncoder.Encode(schema, table, testRows));
        }
        else
        {
            var testTable = TableReader.Read(options.Test);
            schema.CheckColumns(testTable);
            train = ToDataset($"{name}/train", schema, TableEncoder.Encode(schema, table));
            test = ToDataset($"{name}/test", schema, TableEncoder.Encode(schema, testTable));
        }
        return new DatasetSplits(name, directory, train, test) { TableSchema = schema, ClassNames = schema.ClassNames };
    }

    /// <summary>The rows of <paramref name="path"/> that <see cref="Load(string, TableSchema, TableOptions)"/> puts in
    /// each split, as the file holds them (for pictures and quality scores in original units).</summary>
    public static (Table Train, Table Test) Rows(string path, TableOptions options)
    {
        var table = TableReader.Read(path);
        if (options.Test is not null) return (table, TableReader.Read(options.Test));
        var (trainRows, testRows) = TableSplit.Random(path, table.RowCount, options.TestFraction, options.Seed);
        return (table.Select(trainRows), table.Select(testRows));
    }

    /// <summary>Reads <paramref name="path"/> (to sample beside, score or impute), checks that its columns are the
    /// schema's and encodes every row; <paramref name="table"/> is the file as read (to write imputed values back).</summary>
    /// <exception cref="DataFormatException">The file is not a usable table, a column is missing or unknown, or a
    /// numeric cell is not a number (without coerce).</exception>
    public static Dataset Load(string path, TableSchema schema, out Table table)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(schema);
        table = TableReader.Read(path);
        return FromTable(table, schema, Path.GetFileNameWithoutExtension(path));
    }

    /// <summary>The rows of <paramref name="table"/> (read from a file or given in memory) as a model of
    /// <paramref name="schema"/> reads them (<see cref="ToDataset"/>), after checking that its columns are the schema's;
    /// <paramref name="name"/> names the dataset in messages.</summary>
    /// <exception cref="DataFormatException">A column is missing or unknown, or a numeric cell is not a number
    /// (without coerce).</exception>
    public static Dataset FromTable(Table table, TableSchema schema, string name)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(schema);
        schema.CheckColumns(table);
        return ToDataset(name, schema, TableEncoder.Encode(schema, table));
    }

    /// <summary>A dataset of kind table over <paramref name="encoded"/>, rows as a model reads them
    /// (<see cref="TableSchema.ModelWidth"/>): the D encoded values (0 where missing), then one observation flag per
    /// encoded column (1 observed, 0 missing), so the encoder sees what is missing and the likelihood skips it.</summary>
    public static Dataset ToDataset(string name, TableSchema schema, EncodedTable encoded)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(encoded);
        int d = encoded.Width, width = schema.ModelWidth, rows = encoded.Rows;
        var slices = schema.Encoded;
        var values = new float[(long)rows * width];
        for (int i = 0; i < rows; i++)
        {
            var row = values.AsSpan(i * width, width);
            encoded.Values.AsSpan(i * d, d).CopyTo(row);
            for (int c = 0; c < slices.Count; c++) row[d + c] = encoded.Mask[(long)i * d + slices[c].Offset];
        }
        bool anyLabel = schema.Label is not null;
        return new Dataset(name, values, anyLabel ? encoded.Labels : null, DataShape.Table(width), schema.Describe());
    }
}
