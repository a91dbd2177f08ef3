using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Molt.Compilation.Delta;

/// <summary>
/// Finds, below a position, a call or attribute that binds a <c>[CallerLineNumber]</c> parameter:
/// its line is a constant in the caller's code or attribute blob, so moving it changes what a full
/// compile emits, which moving sequence points alone does not reproduce.
/// </summary>
internal static class CallerLines
{
    /// <summary>The method whose line-number parameter a moved call binds, or <see langword="null"/>.</summary>
    public static string? FindMoved(SemanticModel model, int from)
    {
        foreach (var node in model.SyntaxTree.GetRoot().DescendantNodes(n => n.FullSpan.End > from))
        {
            if (node.SpanStart < from || node is not (InvocationExpressionSyntax or BaseObjectCreationExpressionSyntax or ConstructorInitializerSyntax or PrimaryConstructorBaseTypeSyntax or AttributeSyntax))
            {
                continue;
            }

            if (model.GetSymbolInfo(node).Symbol is IMethodSymbol method
                && method.Parameters.Any(p => p.GetAttributes().Any(a => a.AttributeClass?.Name == "CallerLineNumberAttribute")))
            {
                return method.ToDisplayString();
            }
        }

        return null;
    }
}
