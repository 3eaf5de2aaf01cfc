namespace Elbo.Engine.Tests.Support;

/// <summary>The tests that change process-wide settings (Blas.Backend, thread counts) or need the engine's thread pool
/// to themselves (a test that holds it from another thread and checks what a GEMM does meanwhile): they run one at a
/// time, and after the parallel collections, never beside a test whose conv, batch-norm or GEMM loops would take the
/// pool or see the settings change. (Run beside them, the pool-holding test found the pool taken and failed with "the
/// holding loop did not start".)</summary>
[CollectionDefinition("GlobalSettings", DisableParallelization = true)]
public sealed class GlobalSettingsCollection
{
}
