using System.Globalization;
using System.Text;
using System.Text.Json.Serialization;

namespace Elbo.Data.Tables;

/// <summary>
/// What each column of a table file is to the model, decided once from the training rows (<see cref="Infer"/>) and
/// saved in config.json (<see cref="TableSchemaFile"/>): every column of the file in file order, with its type, its
/// categories in encoding order, its training statistics and a note on dropped columns. The encoded layout
/// (<see cref="Encoded"/>, <see cref="Width"/>) follows from it: encoded columns in file order, each a slice of the row.
/// </summary>
public sealed record TableSchema
{
    private readonly IReadOnlyList<TableSchemaColumn> _columns = [];
    private IReadOnlyList<EncodedColumn>? _encoded;

    /// <summary>Every column of the file, in file order.</summary>
    public IReadOnlyList<TableSchemaColumn> Columns
    {
        get => _columns;
        init
        {
            _columns = value ?? [];
            _encoded = null;
        }
    }

    /// <summary>Whether a cell of a numeric column that is not a number becomes missing rather than an error (the
    /// <c>coerce</c> setting the schema was made with; later files are encoded the same way).</summary>
    public bool Coerce { get; init; }

    /// <summary>How many training rows the statistics come from.</summary>
    public int TrainRows { get; init; }

    /// <summary>Infers the schema of <paramref name="table"/> from the rows <paramref name="trainRows"/> (all rows
    /// when null) with the overrides of <paramref name="options"/>; the rules are in docs/tables.md.</summary>
    /// <exception cref="SettingException">An option names a column the table does not have, or names one column
    /// twice.</exception>
    /// <exception cref="DataFormatException">No column is left for the model.</exception>
    public static TableSchema Infer(Table table, TableOptions? options = null, IReadOnlyList<int>? trainRows = null) =>
        TableSchemaInference.Infer(table, options ?? new TableOptions(), trainRows);

    /// <summary>The columns the model sees, with their slices of an encoded row, grouped by kind — numeric, then boolean,
    /// then categorical columns, each group in file order — so that a likelihood works on each kind as one block.</summary>
    [JsonIgnore]
    public IReadOnlyList<EncodedColumn> Encoded => _encoded ??= Layout();

    /// <summary>Values per encoded row (D).</summary>
    [JsonIgnore]
    public int Width => Encoded.Count == 0 ? 0 : Encoded[^1].Offset + Encoded[^1].Width;

    /// <summary>What a model reads per row: the D values, then one observation flag per encoded column (1 observed,
    /// 0 missing) in <see cref="Encoded"/> order — D + C.</summary>
    [JsonIgnore]
    public int ModelWidth => Width + Encoded.Count;

    /// <summary>The label column, or null.</summary>
    [JsonIgnore]
    public TableSchemaColumn? Label => Columns.FirstOrDefault(c => c.Type == TableColumnType.Label);

    /// <summary>The label column's class names by label, or null without a label column.</summary>
    [JsonIgnore]
    public IReadOnlyList<string>? ClassNames => Label?.Categories;

    /// <summary>The schema column named <paramref name="name"/>, or null.</summary>
    public TableSchemaColumn? Find(string name) => Columns.FirstOrDefault(c => c.Name == name);

    private List<EncodedColumn> Layout()
    {
        var result = new List<EncodedColumn>();
        int offset = 0;
        foreach (var kind in (TableColumnType[])[TableColumnType.Numeric, TableColumnType.Boolean, TableColumnType.Categorical])
            foreach (var c in Columns)
            {
                if (!c.IsEncoded || c.Type != kind) continue;
                result.Add(new EncodedColumn(c.Name, c.Type, offset, c.Width));
                offset += c.Width;
            }
        return result;
    }

    /// <summary>The encoding in a few words, for a dataset's <see cref="Dataset.Normalization"/> and config.json.</summary>
    public string Describe()
    {
        int numeric = Columns.Count(c => c.Type == TableColumnType.Numeric);
        var categorical = Columns.Where(c => c.Type == TableColumnType.Categorical).ToList();
        int boolean = Columns.Count(c => c.Type == TableColumnType.Boolean);
        return $"table: {numeric} numeric standardized (train mean/std), {categorical.Count} categorical one-hot " +
               $"({categorical.Sum(c => c.Categories.Length)} values), {boolean} boolean 0/1; missing → 0 with mask 0; D = {Width}";
    }

    /// <summary>One line per column for a training log: name, type, statistics or categories, missing rate, note.</summary>
    public IReadOnlyList<string> Summary()
    {
        int nameWidth = Math.Min(24, Columns.Count == 0 ? 4 : Columns.Max(c => c.Name.Length));
        var lines = new List<string>(Columns.Count);
        foreach (var c in Columns)
        {
            var line = new StringBuilder();
            line.Append(c.Name.Length > nameWidth ? c.Name[..(nameWidth - 1)] + "…" : c.Name.PadRight(nameWidth)).Append("  ");
            switch (c.Type)
            {
                case TableColumnType.Numeric:
                    line.Append(c.Integer ? "numeric (int)  " : "numeric        ")
                        .Append(CultureInfo.InvariantCulture, $"mean {G(c.Mean)}, std {G(c.Std)}, range [{G(c.Min)}, {G(c.Max)}]");
                    break;
                case TableColumnType.Categorical:
                    line.Append("categorical    ").Append(c.Categories.Length).Append(" categories: ").Append(List(c.Categories));
                    break;
                case TableColumnType.Boolean:
                    line.Append("boolean        ").Append(c.Categories[0]).Append(" / ").Append(c.Categories[1]);
                    break;
                case TableColumnType.Label:
                    line.Append("label          ").Append(c.Categories.Length).Append(" classes: ").Append(List(c.Categories));
                    break;
                default:
                    line.Append("dropped        ");
                    break;
            }
            if (c.Type != TableColumnType.Dropped && c.MissingRate > 0)
                line.Append(CultureInfo.InvariantCulture, $"; missing {c.MissingRate * 100:0.#}%");
            if (c.Note is not null) line.Append(c.Type == TableColumnType.Dropped ? "" : "; ").Append(c.Note);
            lines.Add(line.ToString());
        }
        return lines;
    }

    private static string G(double v) => v.ToString("G5", CultureInfo.InvariantCulture);

    private static string List(string[] values) =>
        values.Length <= 6 ? string.Join(", ", values) : string.Join(", ", values.Take(5)) + $", … ({values.Length - 5} more)";

    /// <summary>Checks that <paramref name="table"/> (a file given after training, to sample, score or impute) has the
    /// columns of this schema: every encoded column must be there, the label and dropped columns may be, and no other
    /// column may.</summary>
    /// <exception cref="DataFormatException">A column is missing or not known to the schema; the message names the
    /// file and the column.</exception>
    public void CheckColumns(Table table)
    {
        ArgumentNullException.ThrowIfNull(table);
        foreach (var c in Columns)
            if (c.IsEncoded && table.Find(c.Name) is null)
                throw new DataFormatException(table.Source, $"has no column \"{c.Name}\", which the model was trained on ({c.Type.ToString().ToLowerInvariant()})");
        foreach (var column in table.Columns)
            if (Find(column.Name) is null)
                throw new DataFormatException(table.Source, $"column \"{column.Name}\" was not in the table the model was trained on");
    }
}
