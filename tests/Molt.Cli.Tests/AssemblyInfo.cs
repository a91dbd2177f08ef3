// Two cores: every end-to-end test runs a molt process that compiles; more in parallel only slows each.
[assembly: CollectionBehavior(MaxParallelThreads = 2)]
