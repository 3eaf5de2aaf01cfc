using BenchmarkDotNet.Running;
using Elbo.Bench;

// Usage: Elbo.Bench <command> [args]. Commands: gemm; bdn [BenchmarkDotNet args].
string command = args.Length > 0 ? args[0] : "";
string[] rest = args.Length > 0 ? args[1..] : [];
switch (command)
{
    case "gemm":
        GemmBench.Run(rest);
        break;
    case "bdn":
        BenchmarkSwitcher.FromAssembly(typeof(GemmBench).Assembly).Run(rest);
        break;
    default:
        Console.Error.WriteLine("usage: Elbo.Bench gemm | bdn [BenchmarkDotNet arguments]");
        return 2;
}
return 0;
