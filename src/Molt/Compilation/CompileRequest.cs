namespace Molt.Compilation;

/// <summary>One module to compile.</summary>
/// <param name="Source">Its files.</param>
/// <param name="Facts">Its dependencies and packages, as planning read them.</param>
/// <param name="Dependencies">The images of the modules it depends on, in declaration order.</param>
/// <param name="Previous">Its previous compilation, whose bound references can be reused, if any.</param>
/// <param name="HasDependents">Whether other modules compile against it (then its API hash is computed).</param>
internal sealed record CompileRequest(
    Molt.Modules.ModuleSource Source,
    ModuleFacts Facts,
    IReadOnlyList<CompiledModule> Dependencies,
    Microsoft.CodeAnalysis.Compilation? Previous,
    bool HasDependents);
