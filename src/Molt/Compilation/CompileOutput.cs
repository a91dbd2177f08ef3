namespace Molt.Compilation;

/// <summary>What the compile stage produced: an image per module of the plan, or the errors.</summary>
/// <param name="Images">Every planned module's image, or <see langword="null"/> when any failed.</param>
/// <param name="Diagnostics">Errors and warnings, in load order.</param>
internal sealed record CompileOutput(IReadOnlyDictionary<string, CompiledModule>? Images, IReadOnlyList<ModuleDiagnostic> Diagnostics)
{
    public bool Succeeded => Images is not null;
}
