using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Molt.Packages;

namespace Molt.Compilation;

/// <summary>A source module's syntax trees and the dependencies and packages they declare.</summary>
internal sealed record ParsedModule(ImmutableArray<SyntaxTree> Trees, ImmutableArray<(string Module, Location Location)> Dependencies)
{
    /// <summary>Gets the packages its <c>[assembly: PackageReference]</c> attributes ask for.</summary>
    public ImmutableArray<PackageRequest> Packages { get; init; } = [];

    /// <summary>Gets the attributes that could not be read (MOLT009), reported with the dependencies' problems.</summary>
    public ImmutableArray<Diagnostic> PackageProblems { get; init; } = [];
}
