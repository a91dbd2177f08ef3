// Two cores: more parallel compiles than that only makes each test slower.
[assembly: CollectionBehavior(MaxParallelThreads = 2)]
