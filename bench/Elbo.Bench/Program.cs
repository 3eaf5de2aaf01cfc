using BenchmarkDotNet.Running;
using Elbo.Bench;

// Usage: dotnet run -c Release --project bench/Elbo.Bench -- <command> [options]
//   gemm   GFLOPS per shape, backend and thread count (GemmBench)
//   conv   forward+backward of the PyTorch-VAE conv blocks, batch 128 (ConvBench)
//   step   one training step of the MLP VAE: time, GEMM floor, bytes allocated (StepBench)
//   loop   the MLP VAE step through the library: fixed batch, drawn batches, with the trainer's bookkeeping (LoopBench)
//   latency encode/decode/score through ModelRunner at batch 1, 16, 256: p50/p99, examples/s, bytes per call (LatencyBench)
//   floor  the GEMM floor of a training epoch: the step's matrix FLOPs over the best GEMM rate on its shapes (FloorBench)
//   tables load+infer+encode of a 1,000,000 × 40 mixed table from CSV and Parquet: times and peak RSS (TableBench)
//   serve-load  bursts of concurrent decode and score requests on a running elbo serve (ServeLoadBench; bench/serve_load.sh)
//   allreduce N  under mpiexec.mpich -n R: the gradient Allreduce of N floats across the ranks (AllreduceBench)
//   bdn    BenchmarkDotNet benchmarks (pass BenchmarkDotNet's own arguments after it)
string command = args.Length > 0 ? args[0] : "";
string[] rest = args.Length > 0 ? args[1..] : [];
switch (command)
{
    case "gemm":
        GemmBench.Run(rest);
        break;
    case "conv":
        ConvBench.Run(rest);
        break;
    case "step":
        StepBench.Run(rest);
        break;
    case "loop":
        LoopBench.Run(rest);
        break;
    case "latency":
        LatencyBench.Run(rest);
        break;
    case "floor":
        FloorBench.Run(rest);
        break;
    case "tables":
        TableBench.Run(rest);
        break;
    case "serve-load":
        return ServeLoadBench.Run(rest);
    case "allreduce":
        AllreduceBench.Run(rest);
        break;
    case "bdn":
        BenchmarkSwitcher.FromAssembly(typeof(GemmBench).Assembly).Run(rest);
        break;
    default:
        Console.Error.WriteLine("usage: Elbo.Bench gemm | conv | step | loop | latency | floor | tables | serve-load --url URL | allreduce N | bdn [BenchmarkDotNet arguments]");
        return 2;
}
return 0;
