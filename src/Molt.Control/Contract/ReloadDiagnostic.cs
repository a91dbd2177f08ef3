namespace Molt.Control;

/// <summary>One error, warning or note of a reload or a check.</summary>
public sealed record ReloadDiagnostic
{
    /// <summary>Gets the module it belongs to (<c>module</c>); <see langword="null"/> when it concerns no single module.</summary>
    public required string? Module { get; init; }

    /// <summary>Gets the file it points at (<c>file</c>); <see langword="null"/> when it has no location.</summary>
    public required string? File { get; init; }

    /// <summary>Gets the one-based line (<c>line</c>); 0 when it has no location.</summary>
    public required int Line { get; init; }

    /// <summary>Gets the one-based column (<c>column</c>); 0 when it has no location.</summary>
    public required int Column { get; init; }

    /// <summary>Gets the diagnostic's id (<c>id</c>): a compiler id such as <c>CS0103</c>, or one of Molt's <c>MOLT…</c> ids.</summary>
    public required string Id { get; init; }

    /// <summary>Gets the severity (<c>severity</c>): <c>error</c>, <c>warning</c> or <c>info</c>.</summary>
    public required string Severity { get; init; }

    /// <summary>Gets the message (<c>message</c>).</summary>
    public required string Message { get; init; }
}
