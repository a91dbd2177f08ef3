using System.Collections.Immutable;
using Molt.Packages;

namespace Molt.Compilation;

/// <summary>A place in a source file, 1-based (0 when unknown): a diagnostic's position without the compiler's types.</summary>
internal readonly record struct SourceSpot(string? File, int Line, int Column)
{
    /// <summary>Where a syntax node's location starts, as diagnostics report it.</summary>
    public static SourceSpot Of(Microsoft.CodeAnalysis.Location location)
    {
        var span = location.GetMappedLineSpan();
        return location.IsInSource && !string.IsNullOrEmpty(span.Path)
            ? new SourceSpot(span.Path, span.StartLinePosition.Line + 1, span.StartLinePosition.Character + 1)
            : default;
    }
}

/// <summary>One <c>[assembly: DependsOn("name")]</c> and where it is written.</summary>
internal readonly record struct DeclaredDependency(string Module, SourceSpot At);

/// <summary>
/// What planning needs from a source module before it is compiled: the modules it depends on, the
/// packages it asks for, and what is wrong with those attributes. Read by parsing, here or in the
/// compile server; kept free of the compiler's types, so a host whose compiles go to the server
/// plans a reload without loading (or jitting) the compiler at all.
/// </summary>
internal sealed record ModuleFacts(ImmutableArray<DeclaredDependency> Dependencies, ImmutableArray<PackageRequest> Packages, ImmutableArray<ModuleDiagnostic> Problems);
