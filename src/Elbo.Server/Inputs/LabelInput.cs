using System.Globalization;
using System.Text.Json;

namespace Elbo.Server.Inputs;

/// <summary>The class labels of a request: a conditional model needs one per example — a class number or a class
/// name (case-insensitive) — given in <c>labels</c> or brought by the examples themselves (test examples, table rows
/// with the label column); an unconditional model takes none.</summary>
internal static class LabelInput
{
    /// <summary>The label per example: from <paramref name="given"/> when sent, else <paramref name="own"/> (the
    /// examples' own, -1 where they have none).</summary>
    /// <exception cref="ApiException">400 naming <c>labels</c> or <c>labels[i]</c>.</exception>
    public static int[] Read(JsonElement[]? given, int count, ServedRun run, int[]? own)
    {
        var model = run.Model;
        if (given is null)
        {
            var labels = own ?? Enumerable.Repeat(-1, count).ToArray();
            if (model.IsConditional && labels.Any(l => l < 0))
                throw ApiException.Bad("labels", $"labels: the model is conditional on {model.Classes} classes: give a class (number or name) per example");
            return labels;
        }
        if (!model.IsConditional)
            throw ApiException.Bad("labels", "labels: the model is not conditional; leave labels out");
        if (given.Length != count)
            throw ApiException.Bad("labels", $"labels: {given.Length} labels for {count} examples: give one per example");
        var result = new int[count];
        for (int i = 0; i < count; i++) result[i] = One(given[i], model.Classes, run.LabelNames, $"labels[{i}]");
        return result;
    }

    private static int One(JsonElement value, int classes, IReadOnlyList<string>? names, string field)
    {
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out int number) && number >= 0 && number < classes) return number;
        if (value.ValueKind == JsonValueKind.String && value.GetString() is { } text)
        {
            if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out number) && number < classes) return number;
            for (int k = 0; names is not null && k < Math.Min(names.Count, classes); k++)
                if (string.Equals(names[k], text, StringComparison.OrdinalIgnoreCase)) return k;
        }
        string known = names is null ? "" : $" or one of {string.Join(", ", names.Take(classes))}";
        throw ApiException.Bad(field, $"{field}: {value.GetRawText()} is not a class of the model: give 0..{classes - 1}{known}");
    }
}
