using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Molt.Compilation.Delta;

/// <summary>
/// Which of the module's own non-public fields a body reads and writes. The compiler's warnings
/// that a field is never used, never read or never assigned (CS0169, CS0414, CS0649) are decided
/// over every body of the module: a body edit that keeps this set cannot change them.
/// </summary>
internal static class FieldUse
{
    public static bool Same(SemanticModel oldModel, SyntaxNode oldBody, SemanticModel newModel, SyntaxNode newBody) =>
        Of(oldModel, oldBody).SetEquals(Of(newModel, newBody));

    private static HashSet<string> Of(SemanticModel model, SyntaxNode body)
    {
        var uses = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in body.DescendantNodesAndSelf().OfType<SimpleNameSyntax>())
        {
            if (model.GetSymbolInfo(name).Symbol is (IFieldSymbol or IEventSymbol) and { DeclaredAccessibility: not (Accessibility.Public or Accessibility.Protected or Accessibility.ProtectedOrInternal) } field
                && field.Locations.Any(l => l.IsInSource))
            {
                uses.Add($"{field.ToDisplayString()}:{Kind(name)}");
            }
        }

        return uses;
    }

    private static string Kind(SyntaxNode name)
    {
        var node = name.Parent is MemberAccessExpressionSyntax access && access.Name == name ? access : name;
        return node.Parent switch
        {
            AssignmentExpressionSyntax assignment when assignment.Left == node => assignment.IsKind(SyntaxKind.SimpleAssignmentExpression) ? "write" : "read+write",
            PrefixUnaryExpressionSyntax or PostfixUnaryExpressionSyntax when node.Parent.IsKind(SyntaxKind.PreIncrementExpression) || node.Parent.IsKind(SyntaxKind.PreDecrementExpression)
                || node.Parent.IsKind(SyntaxKind.PostIncrementExpression) || node.Parent.IsKind(SyntaxKind.PostDecrementExpression) => "read+write",
            ArgumentSyntax argument when !argument.RefKindKeyword.IsKind(SyntaxKind.None) => argument.RefKindKeyword.Text,
            _ => "read",
        };
    }
}
