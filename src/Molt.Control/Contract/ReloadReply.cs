namespace Molt.Control;

/// <summary>
/// The result of <c>reload</c>: what one reload did. <c>status</c> carries the last one, and
/// <c>molt run</c> prints its own reloads from the same record.
/// </summary>
public sealed record ReloadReply
{
    /// <summary>Gets whether the reload succeeded (<c>ok</c>); a failed reload changed nothing.</summary>
    public required bool Ok { get; init; }

    /// <summary>Gets the generation serving after the reload (<c>generation</c>).</summary>
    public required int Generation { get; init; }

    /// <summary>Gets what started the reload (<c>trigger</c>): <c>start</c>, <c>watcher</c>, <c>control</c>, <c>signal</c>…</summary>
    public required string Trigger { get; init; }

    /// <summary>Gets when the reload started (<c>startedAt</c>, ISO 8601).</summary>
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>Gets how long the reload took, in milliseconds rounded to three decimals (<c>durationMs</c>).</summary>
    public required double DurationMs { get; init; }

    /// <summary>Gets the modules the reload touched, or would have touched when it failed (<c>changed</c>).</summary>
    public required IReadOnlyList<ChangedModule> Changed { get; init; }

    /// <summary>
    /// Gets, when the reload found nothing to change, the reload that applied what serves
    /// (<c>unchangedSince</c>; the watcher often gets there before <c>molt reload</c>); otherwise,
    /// and from servers before 0.3, <see langword="null"/>.
    /// </summary>
    public ServingReload? UnchangedSince { get; init; }

    /// <summary>Gets, for a failed reload, a one-line summary of why (<c>error</c>); <see langword="null"/> on success.</summary>
    public required string? Error { get; init; }

    /// <summary>Gets the errors, warnings and notes (<c>diagnostics</c>).</summary>
    public required IReadOnlyList<ReloadDiagnostic> Diagnostics { get; init; }

    /// <summary>Gets the time each phase took (<c>timings</c>).</summary>
    public required PhaseTimings Timings { get; init; }
}
