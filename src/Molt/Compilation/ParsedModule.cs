using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace Molt.Compilation;

/// <summary>A source module's syntax trees and what planning reads from them.</summary>
internal sealed record ParsedModule(ImmutableArray<SyntaxTree> Trees, ModuleFacts Facts);
