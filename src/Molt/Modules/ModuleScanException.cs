namespace Molt.Modules;

/// <summary>A problem that stops a scan, reported as a diagnostic of the failed reload.</summary>
internal sealed class ModuleScanException(ModuleDiagnostic diagnostic) : Exception(diagnostic.Message)
{
    public ModuleDiagnostic Diagnostic { get; } = diagnostic;
}
