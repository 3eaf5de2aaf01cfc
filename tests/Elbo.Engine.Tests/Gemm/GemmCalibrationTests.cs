using Elbo.Engine.Gemm;
using Elbo.Engine.Nn;

namespace Elbo.Engine.Tests.Gemm;

// The trace records every GEMM of the process: tests elsewhere may add calls while one is open, so these check that
// the expected calls are there (at least), not that nothing else is.
[Collection("GlobalSettings")]
public class GemmCalibrationTests
{
    [Fact]
    public void ATraceRecordsTheShapesOfALinearLayersForwardAndBackward()
    {
        var layer = new Linear(6, 4, new Generator(1));
        var x = Tensor.Uniform(new Generator(2), -1f, 1f, 5, 6);
        x.RequiresGrad = true;
        IReadOnlyList<(GemmShape Shape, int Calls)> calls;
        using (var trace = GemmTrace.Start())
        {
            layer.Forward(x).Sum().Backward();
            calls = trace.Calls;
        }
        int Count(GemmShape s) => calls.Where(c => c.Shape == s).Sum(c => c.Calls);
        Assert.True(Count(new GemmShape(false, true, 5, 4, 6)) >= 1, string.Join(", ", calls));    // y = x·Wᵀ
        Assert.Equal(3, calls.Count(c => c.Shape.M * c.Shape.N * c.Shape.K == 5 * 4 * 6));         // and dX, dW
        Assert.Equal(240.0, new GemmShape(false, true, 5, 4, 6).Flops);
        Assert.Equal("5x6x4 NT", new GemmShape(false, true, 5, 4, 6).ToString());
    }

    [Fact]
    public void TracesOpenTogetherEachRecordAndAClosedOneStops()
    {
        var shape = new GemmShape(false, false, 3, 5, 7);
        var a = new float[21];
        var b = new float[35];
        var c = new float[15];
        var first = GemmTrace.Start();
        Blas.Sgemm(false, false, 3, 5, 7, 1f, a, 7, b, 5, 0f, c, 5);
        using var second = GemmTrace.Start();
        Blas.Sgemm(false, false, 3, 5, 7, 1f, a, 7, b, 5, 0f, c, 5);
        first.Dispose();
        Blas.Sgemm(false, false, 3, 5, 7, 1f, a, 7, b, 5, 0f, c, 5);
        Assert.Equal(2, first.Calls.Single(x => x.Shape == shape).Calls);
        Assert.Equal(2, second.Calls.Single(x => x.Shape == shape).Calls);
    }

    private struct GemmInLoop : Elbo.Engine.Threading.IParallelBody
    {
        public readonly void Invoke(int index)
        {
            var a = new float[4 * 9];
            var b = new float[9 * 6];
            var c = new float[4 * 6];
            Blas.Sgemm(false, false, 4, 6, 9, 1f, a, 9, b, 6, 0f, c, 6);
        }
    }

    [Fact]
    public void ATraceMarksTheCallsMadeInsideAParallelLoop()
    {
        var body = new GemmInLoop();
        IReadOnlyList<(GemmShape Shape, int Calls)> calls;
        using (var trace = GemmTrace.Start())
        {
            Elbo.Engine.Threading.ParallelRunner.For(3, ref body);
            Blas.Sgemm(false, false, 4, 6, 9, 1f, new float[36], 9, new float[54], 6, 0f, new float[24], 6);
            calls = trace.Calls;
        }
        Assert.Equal(3, calls.Where(c => c.Shape == new GemmShape(false, false, 4, 6, 9, InLoop: true)).Sum(c => c.Calls));
        Assert.True(calls.Any(c => c.Shape == new GemmShape(false, false, 4, 6, 9)), string.Join(", ", calls));
        Assert.Equal("4x9x6 NN in a loop", new GemmShape(false, false, 4, 6, 9, true).ToString());
    }

    [Fact]
    public void ACalibrationReplaysEachCallWhereTheWorkloadMadeIt()
    {
        // calls made inside a loop are timed inside one (side by side on the threads), the others outside any
        int before = Elbo.Engine.Threading.ParallelRunner.Threads;
        try
        {
            Elbo.Engine.Threading.ParallelRunner.Threads = 2;
            var inLoop = new GemmShape(false, true, 24, 40, 16, InLoop: true);
            var outside = new GemmShape(true, false, 40, 24, 16);
            (GemmShape, int)[] calls = [(inLoop, 5), (outside, 3)];
            IReadOnlyList<(GemmShape Shape, int Calls)> replayed;
            using (var trace = GemmTrace.Start())
            {
                var (gflops, seconds) = GemmCalibration.Measure(calls, GemmBackend.Managed, rounds: 2);
                Assert.True(gflops > 0 && seconds > 0);
                replayed = trace.Calls;
            }
            // a warm-up round and two timed ones, each making every call once
            Assert.Equal(15, replayed.Where(c => c.Shape == inLoop).Sum(c => c.Calls));
            Assert.Equal(9, replayed.Where(c => c.Shape == outside).Sum(c => c.Calls));
            Assert.DoesNotContain(replayed, c => c.Shape == inLoop with { InLoop = false });
        }
        finally
        {
            Elbo.Engine.Threading.ParallelRunner.Threads = before;
        }
    }

    [Fact]
    public void AWorkloadFasterThanATimeSpanTickGetsFiniteRatesAndIsCached()
    {
        // a round of one 1×1×1 product takes tens of nanoseconds, below a TimeSpan's 100 ns tick: it read 0 s, an
        // infinite rate, and the cache file's JSON refused it (a small model's 3-row products hit this in elbo train)
        string file = Path.Combine(Directory.CreateTempSubdirectory("elbo-gemm").FullName, "gemm.json");
        try
        {
            // rounds are timed to the Stopwatch tick, not to a TimeSpan's 100 ns, and never as 0 s
            long fiftyNanoseconds = System.Diagnostics.Stopwatch.Frequency / 20_000_000;
            if (fiftyNanoseconds > 0) Assert.Equal(fiftyNanoseconds / (double)System.Diagnostics.Stopwatch.Frequency, GemmCalibration.RoundSeconds(fiftyNanoseconds));
            Assert.True(GemmCalibration.RoundSeconds(0) > 0);
            (GemmShape, int)[] calls = [(new GemmShape(false, false, 1, 1, 1), 1)];
            var (gflops, seconds) = GemmCalibration.Measure(calls, GemmBackend.Managed, rounds: 25);
            Assert.True(double.IsFinite(gflops) && gflops > 0 && seconds > 0, $"{gflops} GFLOPS, {seconds} s");
            var choice = GemmCalibration.Choose(calls, file, TimeSpan.FromMilliseconds(20));
            Assert.True(double.IsFinite(choice.ManagedGflops), choice.ToString());
            Assert.True(choice.OpenBlasGflops is null || double.IsFinite(choice.OpenBlasGflops.Value), choice.ToString());
            if (Blas.OpenBlasAvailable) Assert.True(GemmCalibration.Choose(calls, file).Cached);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(file)!, recursive: true);
        }
    }

    [Fact]
    public void TheChoiceIsMeasuredOnceThenReadFromTheCache()
    {
        string file = Path.Combine(Directory.CreateTempSubdirectory("elbo-gemm").FullName, "sub", "gemm.json");
        try
        {
            (GemmShape, int)[] calls = [(new GemmShape(false, true, 64, 48, 32), 2), (new GemmShape(true, false, 48, 32, 64), 1)];
            var measured = GemmCalibration.Choose(calls, file, TimeSpan.FromMilliseconds(50));
            Assert.False(measured.Cached);
            Assert.True(measured.ManagedGflops > 0 && double.IsFinite(measured.ManagedGflops));
            Assert.Equal(2, measured.Shapes);
            if (!Blas.OpenBlasAvailable)
            {
                Assert.Equal(GemmBackend.Managed, measured.Backend);
                Assert.Null(measured.OpenBlasGflops);
                return;
            }
            Assert.True(File.Exists(file));
            Assert.Equal(measured.Backend == GemmBackend.OpenBlas, measured.OpenBlasGflops > measured.ManagedGflops);
            var cached = GemmCalibration.Choose(calls, file);
            Assert.True(cached.Cached);
            Assert.Equal(measured.Backend, cached.Backend);
            Assert.Contains("cached", cached.ToString());
            // other shapes are another entry; a broken file is measured again and rewritten
            Assert.False(GemmCalibration.Choose([(new GemmShape(false, false, 8, 8, 8), 1)], file, TimeSpan.FromMilliseconds(20)).Cached);
            File.WriteAllText(file, "{ not json");
            Assert.False(GemmCalibration.Choose(calls, file, TimeSpan.FromMilliseconds(20)).Cached);
            Assert.True(GemmCalibration.Choose(calls, file).Cached);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(Path.GetDirectoryName(file))!, recursive: true);
        }
    }

    [Fact]
    public void AChoiceOlderThanTheMaxAgeIsMeasuredAgain()
    {
        if (!Blas.OpenBlasAvailable) return;                       // without OpenBLAS nothing is cached
        string file = Path.Combine(Directory.CreateTempSubdirectory("elbo-gemm-age").FullName, "gemm.json");
        try
        {
            (GemmShape, int)[] calls = [(new GemmShape(false, false, 40, 24, 56), 3)];
            Assert.False(GemmCalibration.Choose(calls, file, TimeSpan.FromMilliseconds(20)).Cached);
            Assert.True(GemmCalibration.Choose(calls, file).Cached);
            string old = (DateTime.UtcNow - GemmCalibration.CacheMaxAge - TimeSpan.FromDays(1)).ToString("O");
            File.WriteAllText(file, System.Text.RegularExpressions.Regex.Replace(File.ReadAllText(file),
                "\"measured\": \"[^\"]*\"", $"\"measured\": \"{old}\""));
            Assert.False(GemmCalibration.Choose(calls, file, TimeSpan.FromMilliseconds(20)).Cached);
            Assert.True(GemmCalibration.Choose(calls, file).Cached);   // measured again, so cached again
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(file)!, recursive: true);
        }
    }

    [Fact]
    public void TheCacheKeyNamesTheCpusSignatureTheVectorWidthAndTheEnginesBuild()
    {
        if (!Blas.OpenBlasAvailable) return;
        string file = Path.Combine(Directory.CreateTempSubdirectory("elbo-gemm-key").FullName, "gemm.json");
        try
        {
            GemmCalibration.Choose([(new GemmShape(false, false, 16, 16, 16), 1)], file, TimeSpan.FromMilliseconds(10));
            string text = File.ReadAllText(file);
            if (File.Exists("/proc/cpuinfo")) Assert.Contains(GemmCalibration.CpuSignature(), text);
            string simd = System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated ? "512"
                : System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated ? "256" : "128";
            Assert.Contains("simd=" + simd, text);
            Assert.Contains("engine=" + typeof(GemmCalibration).Assembly.ManifestModule.ModuleVersionId.ToString("N")[..12], text);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(file)!, recursive: true);
        }
    }

    [Fact]
    public void GivenThreadCountsTheChoiceNamesOneAndLeavesTheRunnersCountAlone()
    {
        int before = Elbo.Engine.Threading.ParallelRunner.Threads;
        (GemmShape, int)[] calls = [(new GemmShape(false, true, 96, 64, 80), 2)];
        var choice = GemmCalibration.Choose(calls, null, TimeSpan.FromMilliseconds(30), threadCounts: [2, 1]);
        Assert.Contains(choice.Threads, new[] { 1, 2 });
        Assert.Equal(before, Elbo.Engine.Threading.ParallelRunner.Threads);
        Assert.True(choice.Gflops > 0);
    }

    [Fact]
    public void TheCpuModelIsNamed() => Assert.False(string.IsNullOrWhiteSpace(GemmCalibration.CpuModel()));

    [Fact]
    public void OnLinuxTheCpuSignatureHasTheFamilyModelAndStepping()
    {
        if (!File.Exists("/proc/cpuinfo")) return;
        Assert.Matches("^family=\\d+ model=\\d+ stepping=\\d+$", GemmCalibration.CpuSignature());
    }
}
