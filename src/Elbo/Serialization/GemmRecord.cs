namespace Elbo.Serialization;

/// <summary>Which GEMM a run trained with and why, for config.json: the backend, the rates measured on the model's own
/// GEMM shapes (null when not measured), the thread count, and how the backend was chosen.</summary>
/// <param name="Backend"><c>managed</c> or <c>openblas</c>.</param>
/// <param name="Gflops">The chosen backend's rate on the model's step.</param>
/// <param name="ManagedGflops">The managed GEMM's rate.</param>
/// <param name="OpenBlasGflops">OpenBLAS' rate (null when it did not load or was not timed).</param>
/// <param name="Threads">The threads of every parallel kernel.</param>
/// <param name="Source"><c>measured</c>, <c>cached</c> (an earlier measurement on this machine), or <c>ELBO_GEMM</c>
/// (forced by the environment).</param>
public sealed record GemmRecord(string Backend, double? Gflops, double? ManagedGflops, double? OpenBlasGflops, int Threads, string Source)
{
    /// <summary>The backend of the products with at most three rows (one example's layer, a one-channel convolution),
    /// chosen apart from <see cref="Backend"/> by timing the model's own such products; null when the model has none
    /// or the backend was forced.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? FewRowsBackend { get; init; }
}
