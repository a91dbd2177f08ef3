namespace Molt.Tests.Engine;

/// <summary>
/// Tests of process-wide caches run alone: every engine's reload calls System.Text.Json's handler,
/// which clears the caches of every options object in the process, so a test that needs a cache to
/// stay full (to see the leak it causes) cannot share the process with other tests' reloads.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class GlobalCachesCollection
{
    public const string Name = "global caches";
}
