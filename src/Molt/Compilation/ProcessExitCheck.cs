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
    public static IEnumerable<Diagnostic> Find(Microsoft.CodeAnalysis.Compilation compilation)
    {
        foreach (var tree in compilation.SyntaxTrees)
        {
            SemanticModel? model = null;
            foreach (var invocation in tree.GetRoot().DescendantNodes().OfType<InvocationExpressionSyntax>())
            {
                // Cheap syntactic filter first: only calls named Exit or FailFast are bound.
                var name = invocation.Expression switch
                {
                    MemberAccessExpressionSyntax member => member.Name.Identifier.Text,
                    IdentifierNameSyntax identifier => identifier.Identifier.Text,
                    _ => null,
                };
                if (name is not ("Exit" or "FailFast"))
                {
                    continue;
                }

                model ??= compilation.GetSemanticModel(tree);
                if (model.GetSymbolInfo(invocation).Symbol is IMethodSymbol { ContainingType: { Name: "Environment", ContainingNamespace.Name: "System" } } method)
                {
                    yield return Diagnostic.Create(Descriptor, invocation.GetLocation(), method.Name);
                }
            }
        }
    }

    private static readonly DiagnosticDescriptor Descriptor = new(
        MoltDiagnosticIds.ProcessExit,
        "A module must not end the process",
        "Environment.{0} would end the whole process, which no reload can undo; modules may not call it (MoltOptions.AllowProcessExit turns this check off)",
        "Molt",
        Microsoft.CodeAnalysis.DiagnosticSeverity.Error,
        isEnabledByDefault: true);
}
