using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Molt.Compilation.Delta;

/// <summary>
/// Finds code whose full compile puts something outside the method: constant array data and UTF-8
/// literals (fields of <c>&lt;PrivateImplementationDetails&gt;</c>), the string-switch hash helper,
/// anonymous types (shared, named by first use), lambdas, local functions, iterators and async
/// state machines and dynamic call sites (synthesized types and methods). A delta emits such code
/// differently (the data inline, other names) or leaves the old synthesized members behind, so a
/// body that has it, before or after the edit, is compiled whole.
/// </summary>
internal static class SharedData
{
    /// <summary>What in <paramref name="body"/> a full compile would store outside it, or <see langword="null"/>.</summary>
    public static string? Find(SemanticModel model, SyntaxNode body)
    {
        foreach (var node in body.DescendantNodesAndSelf())
        {
            var found = node switch
            {
                ArrayCreationExpressionSyntax { Initializer: not null } or ImplicitArrayCreationExpressionSyntax => "an array initialiser",
                StackAllocArrayCreationExpressionSyntax { Initializer: not null } or ImplicitStackAllocArrayCreationExpressionSyntax => "a stackalloc initialiser",
                CollectionExpressionSyntax => "a collection expression",
                InitializerExpressionSyntax { Parent: EqualsValueClauseSyntax } => "an array initialiser",
                LiteralExpressionSyntax literal when literal.IsKind(SyntaxKind.Utf8StringLiteralExpression) => "a UTF-8 string literal",
                AnonymousObjectCreationExpressionSyntax => "an anonymous type",
                AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax or QueryExpressionSyntax => "a lambda or local function",
                YieldStatementSyntax or AwaitExpressionSyntax => "an iterator or async state machine",
                SwitchStatementSyntax statement when IsString(model, statement.Expression) => "a switch on a string",
                SwitchExpressionSyntax expression when IsString(model, expression.GoverningExpression) => "a switch on a string",
                _ => null,
            };
            if (found is not null)
            {
                return found;
            }
        }

        return model.GetOperation(body) is { } operation && operation.Descendants().Any(o => o.Kind is OperationKind.DynamicInvocation
            or OperationKind.DynamicMemberReference or OperationKind.DynamicIndexerAccess or OperationKind.DynamicObjectCreation
            || o.Type is { TypeKind: TypeKind.Dynamic })
            ? "a dynamic call site"
            : null;
    }

    private static bool IsString(SemanticModel model, ExpressionSyntax expression) =>
        model.GetTypeInfo(expression).Type is { SpecialType: SpecialType.System_String } or { Name: "ReadOnlySpan" or "Span" };
}
