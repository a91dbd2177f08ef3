namespace Molt;

/// <summary>What is loaded now: every module with its generation, and the generations retired but not yet collected.</summary>
/// <param name="Generation">The engine's generation (one more per successful reload that changed something).</param>
/// <param name="Modules">The loaded modules, in load order.</param>
/// <param name="RetiredAlive">Retired generations still in memory (pending collection, or leaked).</param>
/// <param name="LastReload">The last reload's result, failed or not; <see langword="null"/> before the first.</param>
public sealed record MoltManifest(
    int Generation,
    IReadOnlyList<ModuleInfo> Modules,
    IReadOnlyList<RetiredGenerationInfo> RetiredAlive,
    ReloadResult? LastReload);
