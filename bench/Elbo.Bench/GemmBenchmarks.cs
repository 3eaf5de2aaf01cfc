using BenchmarkDotNet.Attributes;
using Elbo.Engine.Gemm;

namespace Elbo.Bench;

/// <summary>BenchmarkDotNet version of the <c>gemm</c> command for the VAE's Linear shapes
/// (<c>dotnet run -c Release --project bench/Elbo.Bench -- bdn --filter *GemmBenchmarks*</c>).</summary>
[MemoryDiagnoser]
public class GemmBenchmarks
{
    private float[] _a = [], _b = [], _c = [];
    private bool _transA, _transB;
    private int _m, _k, _n;

    /// <summary>The shape m×k×n; 128x784x400 and 128x400x784 are x·Wᵀ (transB), 784x128x400 and 400x128x784 are
    /// dYᵀ·X (transA).</summary>
    [Params("128x784x400", "128x400x784", "784x128x400", "400x128x784")]
    public string Shape { get; set; } = "128x784x400";

    /// <summary>The backend under test.</summary>
    [Params(GemmBackend.Managed, GemmBackend.OpenBlas)]
    public GemmBackend Backend { get; set; }

    /// <summary>Threads for both backends.</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    /// <summary>Allocates the operands and selects backend and threads.</summary>
    [GlobalSetup]
    public void Setup()
    {
        int[] d = Shape.Split('x').Select(int.Parse).ToArray();
        (_m, _k, _n) = (d[0], d[1], d[2]);
        _transA = _m > _k;
        _transB = !_transA;
        var rng = new Random(1);
        _a = Enumerable.Range(0, _m * _k).Select(_ => (float)rng.NextDouble()).ToArray();
        _b = Enumerable.Range(0, _k * _n).Select(_ => (float)rng.NextDouble()).ToArray();
        _c = new float[_m * _n];
        Blas.Backend = Backend;
        Blas.SetThreads(Threads);
    }

    /// <summary>One C = op(A)·op(B).</summary>
    [Benchmark]
    public void Sgemm() => Blas.Sgemm(_transA, _transB, _m, _n, _k, 1f, _a, _transA ? _m : _k, _b, _transB ? _k : _n,
        0f, _c, _n);
}
