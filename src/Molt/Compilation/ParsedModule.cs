using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace Molt.Compilation;

/// <summary>A source module's syntax trees and the dependencies they declare.</summary>
internal sealed record ParsedModule(ImmutableArray<SyntaxTree> Trees, ImmutableArray<(string Module, Location Location)> Dependencies);
