using System.Collections.Immutable;
using Molt.Compilation;

namespace Molt.Reloading;

/// <summary>What a reload will do: the modules it compiles and loads, in order, and what it tells the user about them.</summary>
/// <param name="Scan">The change set it was planned from.</param>
/// <param name="Dependencies">What every present module depends on.</param>
/// <param name="Facts">The dependencies and packages of the changed source modules, read with their dependencies.</param>
/// <param name="Ordered">Every module the reload loads (changed, added and their dependents), dependencies first.</param>
/// <param name="Changes">The changes as reported in the result.</param>
/// <param name="Diagnostics">Problems with the dependencies.</param>
internal sealed record ReloadPlan(
    ChangeSet Scan,
    IReadOnlyDictionary<string, ImmutableArray<string>> Dependencies,
    IReadOnlyDictionary<string, ModuleFacts> Facts,
    ImmutableArray<string> Ordered,
    ImmutableArray<ModuleChange> Changes,
    ImmutableArray<ModuleDiagnostic> Diagnostics)
{
    /// <summary>Gets a value indicating whether the modules' dependencies are wrong, so nothing can be compiled.</summary>
    public bool Failed => Diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error);

    /// <summary>Gets the serving modules that are removed.</summary>
    public ImmutableArray<string> Removed => Scan.Removed;
}
