using Elbo.Data.Tables;
using Elbo.Imaging;
using Elbo.Server.Contracts;

namespace Elbo.Server.Outputs;

/// <summary>Model outputs (means of p(x|z), n × D) as the <see cref="Examples"/> of a response: PNG pictures at the
/// model's size (<see cref="ImageGrid.Compose(ReadOnlySpan{float}, int, int, int, int, int, int, float, int)"/> of one
/// tile without padding, <see cref="PngWriter"/>), the values themselves, or for a table rows in the file's units
/// (<see cref="TableDecoder"/>: numeric means un-standardized, the most likely category and boolean).</summary>
internal static class ExampleWriter
{
    /// <summary>The form asked for by <paramref name="format"/> (<c>png</c>, <c>values</c>, or null for the data's
    /// default), checked against the run.</summary>
    public static bool AsPng(string? format, ServedRun run)
    {
        bool image = run.Test.Shape.IsImage;
        return format switch
        {
            null => image && run.Schema is null,
            "png" when image => true,
            "png" => throw ApiException.Bad("format", $"format: the run's data ({run.Test.Shape}) are not pictures; leave format out or give values"),
            "values" when run.Schema is not null => throw ApiException.Bad("format", "format: a table run answers with rows; leave format out"),
            "values" => false,
            _ => throw ApiException.Bad("format", $"format: \"{format}\" is not png or values"),
        };
    }

    /// <summary><paramref name="n"/> outputs of <paramref name="values"/> (n × D row-major).</summary>
    public static Examples Write(ServedRun run, float[] values, int n, bool png)
    {
        if (run.Schema is { } schema)
            return new Examples { Rows = TableRowsOutput.Write(TableDecoder.Decode(schema, values, n, new TableDecodeOptions { Probabilities = true })) };
        int d = values.Length / n;
        if (png)
        {
            var shape = run.Test.Shape;
            var images = new string[n];
            for (int i = 0; i < n; i++)
            {
                var tile = ImageGrid.Compose(values.AsSpan(i * d, d), 1, shape.Channels, shape.Height, shape.Width, columns: 1, padding: 0);
                images[i] = Convert.ToBase64String(PngWriter.Encode(tile));
            }
            return new Examples { Images = images };
        }
        var arrays = new float[n][];
        for (int i = 0; i < n; i++) arrays[i] = values.AsSpan(i * d, d).ToArray();
        return new Examples { Values = arrays };
    }

    /// <summary>A table's rows in the file's units, as they are.</summary>
    public static Examples Write(Table rows) => new() { Rows = TableRowsOutput.Write(rows) };
}
