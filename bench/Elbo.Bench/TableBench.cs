using System.Diagnostics;
using Elbo.Data;
using Elbo.Data.Tables;
using Elbo.Engine.Tensors;

namespace Elbo.Bench;

/// <summary>
/// `tables`: the table data layer on the benchmark table, 1,000,000 rows × 40 mixed columns — 16 float columns
/// (Gaussian, log-normal, bimodal; 1% missing), 8 integer columns (wide ranges), 10 text categorical columns (3 to 12
/// categories, 0.5% missing), one integer categorical (1..7), 4 boolean columns (yes/no, true/false) and an id column
/// (dropped as id-like). The table is generated in memory (seeded), written once as CSV and Parquet (timed: the writer),
/// then each file is loaded as `TableDataSource.Load` does — read, split 80/20, infer the schema from the training rows,
/// encode both splits — with each step timed, and the peak RSS of that load measured from a reset high-water mark
/// (Linux: /proc/self/clear_refs, VmHWM). In one process the mark starts from what generating the table left resident,
/// so the figures that count come from a fresh process per file: `tables --load FILE` only loads (after
/// `tables --dir DIR` has written DIR/bench.csv and DIR/bench.parquet). Options: --rows N (default 1000000), --dir DIR
/// (default a temporary folder, deleted afterwards), --load FILE.
/// </summary>
public static class TableBench
{
    public static void Run(string[] args)
    {
        if (BenchArgs.Str(args, "--load") is { } file)
        {
            Load(file);
            return;
        }
        int rows = BenchArgs.Int(args, "--rows", 1_000_000);
        string dir = BenchArgs.Str(args, "--dir") ?? Directory.CreateTempSubdirectory("elbo-tables").FullName;
        Directory.CreateDirectory(dir);
        string csv = Path.Combine(dir, "bench.csv"), parquet = Path.Combine(dir, "bench.parquet");
        try
        {
            var sw = Stopwatch.StartNew();
            var table = Generate(rows, 20240601);
            Console.WriteLine($"tables: generated {rows:N0} rows × {table.Columns.Count} columns in {sw.Elapsed.TotalSeconds:F2} s");
            sw.Restart();
            TableWriter.Write(table, csv);
            Console.WriteLine($"tables: wrote CSV in {sw.Elapsed.TotalSeconds:F2} s ({new FileInfo(csv).Length / 1e6:F0} MB)");
            sw.Restart();
            TableWriter.Write(table, parquet);
            Console.WriteLine($"tables: wrote Parquet in {sw.Elapsed.TotalSeconds:F2} s ({new FileInfo(parquet).Length / 1e6:F0} MB)");
            table = null;
            foreach (string path in new[] { csv, parquet }) Load(path);
        }
        finally
        {
            if (BenchArgs.Str(args, "--dir") is null) Directory.Delete(dir, recursive: true);
        }
    }

    private static void Load(string path)
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        long baseline = ResetPeak();
        var sw = Stopwatch.StartNew();
        var table = TableReader.Read(path);
        double read = sw.Elapsed.TotalSeconds;
        var (trainRows, testRows) = TableSplit.Random(path, table.RowCount, TableOptions.DefaultTestFraction, 1);
        sw.Restart();
        var schema = TableSchema.Infer(table, new TableOptions(), trainRows);
        double infer = sw.Elapsed.TotalSeconds;
        sw.Restart();
        var train = TableEncoder.Encode(schema, table, trainRows);
        var test = TableEncoder.Encode(schema, table, testRows);
        double encode = sw.Elapsed.TotalSeconds;
        var trainSet = TableDataSource.ToDataset("bench/train", schema, train);
        var testSet = TableDataSource.ToDataset("bench/test", schema, test);
        long peak = PeakRss();
        long encodedBytes = 4L * (train.Values.Length + test.Values.Length);
        long maskBytes = train.Mask.LongLength + test.Mask.LongLength;
        Console.WriteLine($"tables {Path.GetExtension(path)[1..]}: read {read:F2} s, infer {infer:F2} s, encode {encode:F2} s, " +
            $"total {read + infer + encode:F2} s ({table.RowCount / (read + infer + encode) / 1e3:F0} k rows/s); D = {schema.Width} " +
            $"({schema.Encoded.Count} encoded columns of {schema.Columns.Count}); encoded float32 {encodedBytes / 1e6:F0} MB + mask (bytes) {maskBytes / 1e6:F0} MB; " +
            $"peak RSS {peak / 1e6:F0} MB (process before loading {baseline / 1e6:F0} MB) = {(double)peak / encodedBytes:F2}× the encoded matrix, " +
            $"{(double)peak / (encodedBytes + maskBytes):F2}× matrix + mask");
        GC.KeepAlive(trainSet);
        GC.KeepAlive(testSet);
    }

    /// <summary>Resets the kernel's peak-RSS mark to the current RSS (Linux) and returns the current RSS.</summary>
    private static long ResetPeak()
    {
        try { File.WriteAllText("/proc/self/clear_refs", "5"); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        return Status("VmRSS:");
    }

    private static long PeakRss() => Status("VmHWM:");

    private static long Status(string key)
    {
        foreach (string line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith(key, StringComparison.Ordinal))
                return long.Parse(line[key.Length..].Trim().Split(' ')[0]) * 1024;
        return 0;
    }

    /// <summary>The benchmark table (see the class summary), the same for the same seed.</summary>
    public static Table Generate(int rows, ulong seed)
    {
        var g = new Generator(seed);
        var columns = new List<TableColumn>(40);
        for (int j = 0; j < 16; j++)
        {
            var v = new double[rows];
            for (int i = 0; i < rows; i++)
            {
                double z = g.NextNormal();
                v[i] = g.NextDouble() < 0.01 ? double.NaN : (j % 3) switch
                {
                    0 => 10 + 3 * z,
                    1 => Math.Round(Math.Exp(1 + 0.8 * z), 4),
                    _ => (g.NextDouble() < 0.3 ? -4 : 5) + z,
                };
            }
            columns.Add(TableColumn.FromNumbers($"x{j}", v));
        }
        for (int j = 0; j < 8; j++)
        {
            var v = new double[rows];
            int range = 100 << j;
            for (int i = 0; i < rows; i++) v[i] = g.NextInt(range) - range / 4;
            columns.Add(TableColumn.FromNumbers($"n{j}", v, isInteger: true));
        }
        for (int j = 0; j < 10; j++)
        {
            int k = 3 + j;
            var levels = Enumerable.Range(0, k).Select(c => $"cat{j}_{c}").ToArray();
            var codes = new int[rows];
            for (int i = 0; i < rows; i++)
                codes[i] = g.NextDouble() < 0.005 ? -1 : Math.Min(k - 1, (int)(k * Math.Pow(g.NextDouble(), 1.5)));
            columns.Add(TableColumn.FromText($"c{j}", codes, levels));
        }
        var grade = new double[rows];
        for (int i = 0; i < rows; i++) grade[i] = 1 + g.NextInt(7);
        columns.Add(TableColumn.FromNumbers("grade", grade, isInteger: true));
        for (int j = 0; j < 4; j++)
        {
            var codes = new int[rows];
            for (int i = 0; i < rows; i++) codes[i] = g.NextDouble() < 0.2 + 0.15 * j ? 1 : 0;
            columns.Add(TableColumn.FromText($"b{j}", codes, j % 2 == 0 ? ["no", "yes"] : ["false", "true"]));
        }
        var ids = new string[rows];
        for (int i = 0; i < rows; i++) ids[i] = $"row{i:D7}";
        columns.Add(TableColumn.FromText("id", Enumerable.Range(0, rows).ToArray(), ids));
        return new Table("(generated)", columns);
    }
}
