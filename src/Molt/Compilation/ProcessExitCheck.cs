using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Molt.Compilation;

/// <summary>
/// Finds calls that end the whole process (<c>Environment.Exit</c>, <c>Environment.FailFast</c>).
/// Nothing in the runtime can contain them once they run, and a module that ends the process
/// defeats the point of reloading it, so they are refused at compile time. (Calls made through
/// reflection are not found: this guards against mistakes, not against malice.)
/// </summary>
internal static class ProcessExitCheck
{
    // The calls named Exit or FailFast in each tree. Trees are kept while their file is unchanged,
    // so an edit walks only the files it changed, not the whole module (50,000 lines: tens of ms).
    private static readonly ConditionalWeakTable<SyntaxTree, InvocationExpressionSyntax[]> s_candidates = [];

    public static IEnumerable<Diagnostic> Find(Microsoft.CodeAnalysis.Compilation compilation)
    {
        foreach (var tree in compilation.SyntaxTrees)
        {
            SemanticModel? model = null;
            foreach (var invocation in s_candidates.GetValue(tree, Candidates))
            {
                model ??= compilation.GetSemanticModel(tree);
                if (model.GetSymbolInfo(invocation).Symbol is IMethodSymbol { ContainingType: { Name: "Environment", ContainingNamespace.Name: "System" } } method)
                {
                    yield return Diagnostic.Create(Descriptor, invocation.GetLocation(), method.Name);
                }
            }
        }
    }

    /// <summary>Cheap syntactic filter first: only calls named Exit or FailFast are bound.</summary>
    private static InvocationExpressionSyntax[] Candidates(SyntaxTree tree) =>
        [.. tree.GetRoot().DescendantNodes().OfType<InvocationExpressionSyntax>().Where(i => i.Expression switch
        {
            MemberAccessExpressionSyntax member => member.Name.Identifier.Text is "Exit" or "FailFast",
            IdentifierNameSyntax identifier => identifier.Identifier.Text is "Exit" or "FailFast",
            _ => false,
        })];

    private static readonly DiagnosticDescriptor Descriptor = new(
        MoltDiagnosticIds.ProcessExit,
        "A module must not end the process",
        "Environment.{0} would end the whole process, which no reload can undo; modules may not call it (MoltOptions.AllowProcessExit turns this check off)",
        "Molt",
        Microsoft.CodeAnalysis.DiagnosticSeverity.Error,
        isEnabledByDefault: true);
}
