using Molt.State;

namespace Molt.Loading;

/// <summary>A new generation could not be loaded or initialised; carries the diagnostic to report.</summary>
internal sealed class ModuleLoadException(ModuleDiagnostic diagnostic) : Exception(diagnostic.Message)
{
    public ModuleDiagnostic Diagnostic { get; } = diagnostic;

    /// <summary>Gets, when the state could not be migrated, what the state transaction did to each value.</summary>
    public StateMigrationReport? StateReport { get; init; }
}
