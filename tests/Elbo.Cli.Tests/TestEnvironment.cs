using System.Runtime.CompilerServices;

namespace Elbo.Cli.Tests;

internal static class TestEnvironment
{
    // The GEMM calibration cache of this test run: a file of its own, not the user's ~/.cache/elbo/gemm.json.
    [ModuleInitializer]
    internal static void Initialize() =>
        Environment.SetEnvironmentVariable("ELBO_GEMM_CACHE", Path.Combine(Path.GetTempPath(), $"elbo-cli-tests-{Environment.ProcessId}", "gemm.json"));
}
