using Elbo.Data;
using Elbo.Data.Tables;
using Elbo.Server.Contracts;

namespace Elbo.Server.Inputs;

/// <summary>Turns the examples of a request (<see cref="ExampleInput"/>) into an <see cref="ExampleBatch"/>: exactly one
/// form given, no more examples than the limit, each of the run's shape and finite, labels where the model needs
/// them. Every refusal is an <see cref="ApiException"/> naming the field.</summary>
internal static class ExampleReader
{
    /// <summary>The batch of <paramref name="input"/>; <paramref name="exactly"/> asks for that many examples.</summary>
    public static ExampleBatch Read(ExampleInput input, ServedRun run, ServerLimits limits, int? exactly = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        var given = new List<string>(4);
        if (input.Images is not null) given.Add("images");
        if (input.Values is not null) given.Add("values");
        if (input.Rows is not null) given.Add("rows");
        if (input.Test is not null) given.Add("test");
        if (given.Count == 0)
            throw ApiException.Bad(null, $"no examples: give {Forms(run)}");
        if (given.Count > 1)
            throw ApiException.Bad(given[1], $"give the examples in one form only, not both {given[0]} and {given[1]}");
        string field = given[0];
        int count = input.Images?.Length ?? input.Values?.Length ?? input.Rows?.Length ?? input.Test!.Length;
        CheckCount(field, count, limits, exactly);
        var shape = run.Test.Shape;
        return field switch
        {
            "images" => Pictures(input.Images!, run, shape, input),
            "values" => Values(input.Values!, run, shape, input),
            "rows" => Rows(input.Rows!, run, input),
            _ => TestExamples(input.Test!, run, input),
        };
    }

    /// <summary>Throws unless 1 ≤ <paramref name="count"/> ≤ the limit (and equals <paramref name="exactly"/>).</summary>
    public static void CheckCount(string field, int count, ServerLimits limits, int? exactly = null)
    {
        if (exactly is { } e && count != e) throw ApiException.Bad(field, $"{field}: {count} given, and this needs exactly {e}");
        if (count < 1) throw ApiException.Bad(field, count == 0 ? $"{field} is empty: give at least one" : $"{field}: {count}; give at least one");
        if (count > limits.MaxExamples)
            throw ApiException.TooLarge(field, $"{field}: {count:N0} examples are more than the limit of {limits.MaxExamples:N0} per request");
    }

    private static string Forms(ServedRun run) =>
        run.Schema is not null ? "rows (table rows as objects) or test (indices into the test split)"
        : run.Test.Shape.IsImage ? "images (base64 PNGs), values (arrays of C·H·W numbers) or test (indices into the test split)"
        : "values (arrays of numbers) or test (indices into the test split)";

    private static ExampleBatch Pictures(string[] images, ServedRun run, DataShape shape, ExampleInput input)
    {
        if (!shape.IsImage) throw ApiException.Bad("images", $"images: the run's data ({shape}) are not pictures: give {Forms(run)}");
        int d = shape.Features;
        var values = new float[(long)images.Length * d];
        var background = run.Config.Images?.Background ?? ImageBackground.Black;
        for (int i = 0; i < images.Length; i++) PngInput.Decode(images[i], shape, background, $"images[{i}]", values.AsSpan(i * d, d));
        return Batch(run, values, images.Length, LabelInput.Read(input.Labels, images.Length, run, null), null);
    }

    private static ExampleBatch Values(float[][] rows, ServedRun run, DataShape shape, ExampleInput input)
    {
        if (run.Schema is not null) throw ApiException.Bad("values", $"values: a table run takes its examples as {Forms(run)}");
        int d = shape.Features;
        var values = new float[(long)rows.Length * d];
        for (int i = 0; i < rows.Length; i++)
        {
            var row = rows[i];
            string field = $"values[{i}]";
            if (row is null) throw ApiException.Bad(field, $"{field}: an array of {d} numbers is needed, not null");
            if (row.Length != d) throw ApiException.Bad(field, $"{field}: {row.Length} values, and the model takes {d} ({shape})");
            for (int j = 0; j < d; j++)
                if (!float.IsFinite(row[j])) throw ApiException.Bad($"{field}[{j}]", $"{field}[{j}]: not a finite float32 number");
            row.CopyTo(values.AsSpan(i * d, d));
        }
        return Batch(run, values, rows.Length, LabelInput.Read(input.Labels, rows.Length, run, null), null);
    }

    private static ExampleBatch Rows(Dictionary<string, System.Text.Json.JsonElement>[] rows, ServedRun run, ExampleInput input)
    {
        if (run.Schema is not { } schema) throw ApiException.Bad("rows", $"rows: the run was not trained on a table: give {Forms(run)}");
        var table = TableRowsInput.Read(rows, schema, "rows");
        var encoded = TableDataSource.ToDataset("(request)", schema, TableEncoder.Encode(schema, table));
        var own = encoded.HasLabels ? encoded.Labels.ToArray() : null;
        var labels = LabelInput.Read(input.Labels, rows.Length, run, own);
        return Batch(run, encoded.ToArray(), rows.Length, labels, table);
    }

    private static ExampleBatch TestExamples(int[] indices, ServedRun run, ExampleInput input)
    {
        var test = run.Test;
        int d = test.Features;
        var values = new float[(long)indices.Length * d];
        var own = new int[indices.Length];
        for (int i = 0; i < indices.Length; i++)
        {
            int index = indices[i];
            if (index < 0 || index >= test.Count)
                throw ApiException.Bad($"test[{i}]", $"test[{i}]: {index} is outside the test split (0..{test.Count - 1})");
            test.CopyImage(index, values.AsSpan(i * d, d));
            own[i] = test.Label(index);
        }
        var labels = LabelInput.Read(input.Labels, indices.Length, run, own);
        return Batch(run, values, indices.Length, labels, run.TestRows?.Select(indices));
    }

    private static ExampleBatch Batch(ServedRun run, float[] values, int count, int[] labels, Table? rows) =>
        new(new Dataset("(request)", values, labels, run.Test.Shape, run.Test.Normalization), rows);
}
