// Tests that change process-wide settings (thread count, GEMM backend) join the "Threads" collection so they never
// run at the same time as each other.
[assembly: CollectionBehavior(MaxParallelThreads = 2)]
