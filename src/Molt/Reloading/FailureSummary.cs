namespace Molt.Reloading;

/// <summary>
/// The one-line reason of a failed reload (<see cref="ReloadResult.Error"/>): each kind of error
/// says what it is and where, so <c>a source file is binary (MOLT010) in calc</c> is never summarised
/// as something else.
/// </summary>
internal static class FailureSummary
{
    public static string Of(IEnumerable<ModuleDiagnostic> diagnostics)
    {
        var parts = diagnostics
            .Where(d => d.Severity == DiagnosticSeverity.Error)
            .GroupBy(d => IsMolt(d.Id) ? d.Id : null)
            .Select(Describe)
            .ToArray();
        return parts.Length > 0 ? string.Join("; ", parts) : "the reload failed";
    }

    private static string Describe(IGrouping<string?, ModuleDiagnostic> errors)
    {
        var modules = errors.Select(e => e.Module).OfType<string>().Distinct(StringComparer.Ordinal).ToArray();
        var where = modules.Length > 0 ? $" in {string.Join(", ", modules)}" : string.Empty;
        return errors.Key is { } id
            ? $"{MoltDiagnosticIds.Summary(id) ?? "error"} ({id}){where}"
            : $"compile errors{where}";
    }

    private static bool IsMolt(string id) => id.StartsWith("MOLT", StringComparison.Ordinal);
}
