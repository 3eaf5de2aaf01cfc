// Tests that change process-wide settings (thread counts, the GEMM backend) belong to the "GlobalSettings" collection,
// which runs alone (Support/GlobalSettingsCollection.cs): never at the same time as each other or any other test.
[assembly: CollectionBehavior(MaxParallelThreads = 2)]
