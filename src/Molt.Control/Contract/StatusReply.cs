namespace Molt.Control;

/// <summary>The result of <c>status</c>: the process's manifest.</summary>
public sealed record StatusReply
{
    /// <summary>Gets the process id (<c>pid</c>).</summary>
    public required int Pid { get; init; }

    /// <summary>Gets the engine's generation (<c>generation</c>).</summary>
    public required int Generation { get; init; }

    /// <summary>Gets the loaded modules (<c>modules</c>).</summary>
    public required IReadOnlyList<LoadedModule> Modules { get; init; }

    /// <summary>Gets the last reload (<c>lastReload</c>); <see langword="null"/> before the first one.</summary>
    public required ReloadReply? LastReload { get; init; }

    /// <summary>Gets the retired generations still in memory (<c>retiredAlive</c>).</summary>
    public required IReadOnlyList<RetiredModuleGeneration> RetiredAlive { get; init; }
}
