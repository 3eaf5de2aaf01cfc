using System.Globalization;
using System.Text.Json;
using Elbo.Data.Tables;
using Elbo.Server.Outputs;
using static Elbo.Server.Tests.Values;

namespace Elbo.Server.Tests;

/// <summary>The API of a served table run: rows go in and come out as JSON objects in the file's units, and the
/// numbers are the library's for the same rows.</summary>
[Collection(ServedRunsCollection.Name)]
public sealed class TableApiTests(ServedRuns runs)
{
    private Served Table => runs.Table;

    // The file's data lines, split into cells.
    private string[][] FileRows() => File.ReadAllLines(runs.TableFile).Skip(1).Select(l => l.Split(',')).ToArray();

    private static readonly string[] Columns = ["x", "y", "side", "flag", "kind"];

    // A file row as the API takes it: numbers as numbers, categories as strings, a missing cell left out.
    private static Dictionary<string, object> Json(string[] cells)
    {
        var row = new Dictionary<string, object>();
        for (int j = 0; j < Columns.Length; j++)
        {
            if (cells[j].Length == 0) continue;
            row[Columns[j]] = j < 2 ? double.Parse(cells[j], CultureInfo.InvariantCulture) : cells[j];
        }
        return row;
    }

    // The same row as the library takes it: cell texts.
    private static Dictionary<string, string?> Cells(string[] cells) =>
        Enumerable.Range(0, Columns.Length).ToDictionary(j => Columns[j], j => cells[j].Length == 0 ? null : cells[j]);

    // A JSON row back as cell texts, as the file writes them (numbers with three decimals).
    private static string[] AsFileCells(JsonElement row) => Columns.Select(c =>
    {
        if (!row.TryGetProperty(c, out var v) || v.ValueKind == JsonValueKind.Null) return "";
        return v.ValueKind == JsonValueKind.Number ? v.GetDouble().ToString("F3", CultureInfo.InvariantCulture) : v.GetString()!;
    }).ToArray();

    [Fact]
    public async Task Model_carries_the_table_schema()
    {
        var model = (await Table.Api.GetAsync("/api/model")).Ok();
        Assert.Equal("table", model.GetProperty("kind").GetString());
        Assert.Equal("tabular", model.GetProperty("likelihood").GetString());
        var columns = model.GetProperty("table").GetProperty("columns").EnumerateArray().Select(c => c.GetProperty("name").GetString()).ToArray();
        Assert.Equal(Columns, columns);
    }

    [Fact]
    public async Task Reconstruct_of_test_rows_gives_them_in_the_files_units_beside_the_library_reconstruction()
    {
        int[] indices = [0, 1, 2, 3, 4, 5];
        var answer = (await Table.Api.PostAsync("/api/reconstruct", new { test = indices })).Ok();
        var inputs = answer.GetProperty("inputs").GetProperty("rows");
        var file = FileRows().Select(r => string.Join(',', r)).ToHashSet();
        foreach (var row in inputs.EnumerateArray())
            Assert.Contains(string.Join(',', AsFileCells(row)), file);     // each row is a line of the file, as written there

        var x = Table.Examples(indices);
        var schema = Table.Library.Table!;
        var expected = TableRowsOutput.Write(TableDecoder.Decode(schema, Flat(Table.Library.Reconstruct(x)), indices.Length, new TableDecodeOptions { Probabilities = true }));
        var got = answer.GetProperty("reconstructions").GetProperty("rows");
        Assert.Equal(indices.Length, got.GetArrayLength());
        for (int i = 0; i < indices.Length; i++)
            foreach (var (name, value) in expected[i])
            {
                var cell = got[i].GetProperty(name);
                if (value is double d) Assert.Equal(d, cell.GetDouble(), 9);
                else Assert.Equal(value?.ToString(), cell.ValueKind == JsonValueKind.Null ? null : cell.ToString());
            }
    }

    [Fact]
    public async Task Score_and_encode_of_rows_agree_with_the_library()
    {
        var rows = FileRows().Take(8).ToArray();
        var expected = Table.Library.Score(rows.Select(Cells), k: 40, seed: 9);
        var answer = (await Table.Api.PostAsync("/api/score", new { rows = rows.Select(Json).ToArray(), k = 40, seed = 9 })).Ok();
        Close(expected.NegElbo, Doubles(answer.GetProperty("negElbo")), 1e-6);
        Close(expected.NegLogPx!, Doubles(answer.GetProperty("negLogPx")), 1e-6);

        var codes = Table.Library.Encode(rows.Select(Cells));
        var encoded = (await Table.Api.PostAsync("/api/encode", new { rows = rows.Select(Json).ToArray() })).Ok();
        Close(Rows(codes.Mu), Floats(encoded.GetProperty("parameters").GetProperty("mu")));
        // the label column gives each row its label
        var names = Table.Library.ClassNames!.ToList();
        Assert.Equal(rows.Select(r => names.IndexOf(r[4])), encoded.GetProperty("labels").EnumerateArray().Select(v => v.GetInt32()));
    }

    [Fact]
    public async Task Sample_draws_the_library_rows_for_a_seed()
    {
        var expected = Table.Library.SampleRows(20, seed: 4);
        var answer = (await Table.Api.PostAsync("/api/sample", new { n = 20, seed = 4 })).Ok().GetProperty("rows");
        Assert.Equal(20, answer.GetArrayLength());
        for (int i = 0; i < 20; i++)
        {
            Assert.Equal(expected[i].Keys, answer[i].EnumerateObject().Select(p => p.Name));
            foreach (var (name, text) in expected[i])
            {
                var cell = answer[i].GetProperty(name);
                if (cell.ValueKind == JsonValueKind.Number) Assert.Equal(double.Parse(text!, CultureInfo.InvariantCulture), cell.GetDouble(), 9);
                else Assert.Equal(text, cell.GetString());
            }
            Assert.Contains(answer[i].GetProperty("side").GetString(), new[] { "left", "right" });
            Assert.Contains(answer[i].GetProperty("flag").GetString(), new[] { "yes", "no" });
        }
    }

    private static float[] Flat(float[,] m) => Rows(m).SelectMany(r => r).ToArray();
}
