namespace Molt;

/// <summary>
/// Says a reload has just switched its entry points to new generations, before the old ones retire.
/// </summary>
/// <param name="generation">The engine's new generation.</param>
/// <param name="modules">The modules whose serving generation changed, in load order; a removed module is among them.</param>
public sealed class SwitchedEventArgs(int generation, IReadOnlyList<string> modules) : EventArgs
{
    /// <summary>Gets the engine's new generation.</summary>
    public int Generation { get; } = generation;

    /// <summary>Gets the modules whose serving generation changed (loaded, replaced or removed).</summary>
    public IReadOnlyList<string> Modules { get; } = modules;

    /// <inheritdoc/>
    public override string ToString() => $"switched to generation {Generation}: {string.Join(", ", Modules)}";
}
