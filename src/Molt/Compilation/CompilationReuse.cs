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

        // The trees keep their order (types are emitted in tree order, so a reload's image lists
        // them as a restart's would): an edited file's tree takes its old tree's place.
        var old = compilation.SyntaxTrees.ToArray();
        if (old.Length != trees.Length || Enumerable.Range(0, old.Length).Any(i => old[i].FilePath != trees[i].FilePath))
        {
            return compilation.RemoveAllSyntaxTrees().AddSyntaxTrees(trees);
        }

        var result = compilation;
        for (var i = 0; i < old.Length; i++)
        {
            if (old[i] != trees[i])
            {
                result = result.ReplaceSyntaxTree(old[i], trees[i]);
            }
        }

        return result;
    }
}
