using System.Collections.Immutable;
using Molt.Compilation;
using Molt.Modules;

namespace Molt.Loading;

/// <summary>What one generation of a module is made of, before it is loaded.</summary>
/// <param name="Source">The module's files as scanned.</param>
/// <param name="Number">The generation's number for this module.</param>
/// <param name="Compiled">The image to load.</param>
/// <param name="Dependencies">The modules it was compiled against.</param>
/// <param name="CreatedAt">When the reload that loads it started loading.</param>
internal sealed record ModuleBuild(ModuleSource Source, int Number, CompiledModule Compiled, ImmutableArray<string> Dependencies, DateTimeOffset CreatedAt)
{
    public string Module => Source.Name;

    public string DisplayName => $"{Module}#{Number}";
}
