// The scrape test starts a silo, Prometheus and the coordinator; running test classes one at a time keeps the
// 2-core CI machine from starving them.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
