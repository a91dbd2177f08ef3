using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Molt.Compilation;

/// <summary>Edits a module's previous compilation into the next one, so an edit does not bind every reference again.</summary>
internal static class CompilationReuse
{
    /// <summary>
    /// Builds the new compilation from the module's previous one when its references are the
    /// same objects (host, packages, modules depended on): Roslyn then keeps the bound reference
    /// symbols instead of binding them again.
    /// </summary>
    public static CSharpCompilation? From(
        Microsoft.CodeAnalysis.Compilation? previous,
        string assemblyName,
        ImmutableArray<SyntaxTree> trees,
        ImmutableArray<MetadataReference> references)
    {
        if (previous is not CSharpCompilation compilation || compilation.AssemblyName != assemblyName
            || !compilation.References.SequenceEqual(references))
        {
            return null;
        }

        var wanted = trees.ToHashSet();
        var result = compilation;
        var stale = compilation.SyntaxTrees.Where(t => !wanted.Contains(t)).ToArray();
        if (stale.Length > 0)
        {
            result = result.RemoveSyntaxTrees(stale);
        }

        var present = result.SyntaxTrees.ToHashSet();
        var added = trees.Where(t => !present.Contains(t)).ToArray();
        return added.Length > 0 ? result.AddSyntaxTrees(added) : result;
    }
}
