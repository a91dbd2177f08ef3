namespace Molt;

/// <summary>A compiler error or warning, or any other problem a reload found, with where it is.</summary>
/// <param name="Module">The module it concerns, or <see langword="null"/> for the reload as a whole.</param>
/// <param name="File">The file, or <see langword="null"/> when it concerns no file.</param>
/// <param name="Line">The 1-based line, or 0.</param>
/// <param name="Column">The 1-based column, or 0.</param>
/// <param name="Id">The compiler's id (<c>CS1002</c>) or Molt's (<c>MOLT…</c>).</param>
/// <param name="Severity">The severity.</param>
/// <param name="Message">What is wrong.</param>
public sealed record ModuleDiagnostic(
    string? Module,
    string? File,
    int Line,
    int Column,
    string Id,
    DiagnosticSeverity Severity,
    string Message)
{
    /// <summary>Formats the diagnostic as compilers do: <c>file(line,col): error ID: message</c>.</summary>
    /// <returns>The formatted diagnostic.</returns>
    public override string ToString()
    {
        var where = File is null ? Module ?? "molt" : Line > 0 ? $"{File}({Line},{Column})" : File;
        return $"{where}: {Severity.ToString().ToLowerInvariant()} {Id}: {Message}";
    }
}
