namespace Molt.Control;

/// <summary>
/// What <c>molt check --json</c> prints: whether every module compiles. Not a command of the
/// channel; part of the contract so that a tool reads a check's diagnostics as it reads a reload's.
/// </summary>
public sealed record CheckReply
{
    /// <summary>Gets whether every module compiled (<c>ok</c>).</summary>
    public required bool Ok { get; init; }

    /// <summary>Gets the modules checked (<c>modules</c>).</summary>
    public required IReadOnlyList<string> Modules { get; init; }

    /// <summary>Gets, when a module did not compile, a one-line summary of why (<c>error</c>).</summary>
    public required string? Error { get; init; }

    /// <summary>Gets how long the check took, in milliseconds rounded to three decimals (<c>durationMs</c>).</summary>
    public required double DurationMs { get; init; }

    /// <summary>Gets the errors, warnings and notes (<c>diagnostics</c>).</summary>
    public required IReadOnlyList<ReloadDiagnostic> Diagnostics { get; init; }
}
