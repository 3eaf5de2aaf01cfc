// The runs launch several processes that share the machine's cores and time each other out: one test at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
