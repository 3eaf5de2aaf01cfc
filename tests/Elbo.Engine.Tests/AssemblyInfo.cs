// Tests that change process-wide settings (thread counts, the GEMM backend) belong to the "GlobalSettings" collection,
// so they never run at the same time as each other.
[assembly: CollectionBehavior(MaxParallelThreads = 2)]
