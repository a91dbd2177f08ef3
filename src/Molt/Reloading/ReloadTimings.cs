namespace Molt;

/// <summary>How long each phase of a reload took.</summary>
/// <param name="Scan">Reading and hashing module files, working out the change set.</param>
/// <param name="Compile">Compiling changed source modules.</param>
/// <param name="Load">Loading the new generation and running its load hooks.</param>
/// <param name="Switch">Switching every entry point and hook to the new generation.</param>
/// <param name="Retire">Retiring the old generation (unload hooks, draining, unloading; collection is verified later, in the background).</param>
/// <param name="Total">The whole reload.</param>
public sealed record ReloadTimings(
    TimeSpan Scan,
    TimeSpan Compile,
    TimeSpan Load,
    TimeSpan Switch,
    TimeSpan Retire,
    TimeSpan Total);
