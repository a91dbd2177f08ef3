namespace Molt.Compilation;

/// <summary>One module to compile.</summary>
/// <param name="Source">Its files.</param>
/// <param name="Facts">Its dependencies and packages, as planning read them.</param>
/// <param name="Dependencies">The images of the modules it depends on, in declaration order.</param>
/// <param name="Previous">Its previous compile, whose compilation can be reused and whose image a body edit's delta is merged into, if any.</param>
/// <param name="HasDependents">Whether other modules compile against it (then its API hash is computed).</param>
internal sealed record CompileRequest(
    Molt.Modules.ModuleSource Source,
    ModuleFacts Facts,
    IReadOnlyList<CompiledModule> Dependencies,
    CompiledModule? Previous,
    bool HasDependents);
