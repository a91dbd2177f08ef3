namespace Molt;

/// <summary>What one reload did. A failed reload changed nothing: the previous generation keeps serving.</summary>
public sealed record ReloadResult
{
    /// <summary>Gets a value indicating whether the reload succeeded (a reload with nothing to do succeeds).</summary>
    public required bool Succeeded { get; init; }

    /// <summary>Gets the engine's generation after the reload: one more per successful reload that changed something.</summary>
    public required int Generation { get; init; }

    /// <summary>Gets what started the reload (<c>api</c>, <c>watcher</c>, <c>signal</c>, <c>control</c>…).</summary>
    public required string Trigger { get; init; }

    /// <summary>Gets the modules the reload touched (or would have touched, when it failed).</summary>
    public required IReadOnlyList<ModuleChange> Changes { get; init; }

    /// <summary>Gets errors, warnings and notes, with file, line and column where they have one.</summary>
    public required IReadOnlyList<ModuleDiagnostic> Diagnostics { get; init; }

    /// <summary>Gets what the reload did to each persistent value it touched.</summary>
    public IReadOnlyList<StateChange> State { get; init; } = [];

    /// <summary>Gets the time each phase took.</summary>
    public required ReloadTimings Timings { get; init; }

    /// <summary>Gets when the reload started.</summary>
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>
    /// Gets, for a reload that found nothing changed, the reload that applied what serves (often
    /// the file watcher, a moment before a <c>molt reload</c>): nothing changed since then.
    /// <see langword="null"/> for a reload that changed something or failed, or before any did.
    /// </summary>
    public AppliedReload? UnchangedSince { get; init; }

    /// <summary>Gets, for a failed reload, a one-line summary of why; <see langword="null"/> on success.</summary>
    public string? Error { get; init; }

    /// <summary>
    /// Gets a value indicating whether this failed result repeats the previous one without
    /// compiling anything: the files are byte for byte what they were when the previous reload
    /// failed to compile, so it would fail the same way. Repeats raise no event and log nothing.
    /// </summary>
    public bool Repeated { get; init; }

    /// <summary>Gets what each file the reload read was (size and write time), to tell later whether the files changed since.</summary>
    internal IReadOnlyList<(string Path, Modules.FileStamp Stamp)> FilesRead { get; init; } = [];

    /// <summary>Gets the map from each changed module to its changed files (racket-reloadable's reload hook argument).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> ChangedFiles =>
        Changes.Where(c => c.Kind != ModuleChangeKind.Dependent).ToDictionary(c => c.Module, c => c.ChangedFiles, StringComparer.Ordinal);

    /// <summary>Gets the error diagnostics.</summary>
    public IEnumerable<ModuleDiagnostic> Errors => Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error);

    /// <summary>
    /// Gets Molt's own warnings: what a reload cost even when it succeeded (a persistent value that
    /// lost members, was reset or dropped; an entry point that fell back). Hosts should show them.
    /// </summary>
    public IEnumerable<ModuleDiagnostic> MoltWarnings =>
        Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Warning && d.Id.StartsWith("MOLT", StringComparison.Ordinal));
}
