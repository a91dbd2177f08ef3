using System.Collections.Immutable;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Emit;

namespace Molt.Compilation.Delta;

/// <summary>One edited file: its tree in the previous compilation and in the new one.</summary>
internal readonly record struct TreeEdit(SyntaxTree Old, SyntaxTree New);

/// <summary>
/// Decides whether an edit changed method bodies only, and which methods a delta must update:
/// those whose body text changed and those below them in the file whose lines moved (their
/// sequence points change even if their code does not). Anything else (a declaration, an
/// initialiser, a comment between members, a <c>#line</c> directive) makes the edit a full compile.
/// </summary>
internal static class BodyEdits
{
    private const char BodyMark = '\u0001';

    /// <summary>The semantic edits of a body-only edit, or the reason it is not one.</summary>
    public static (ImmutableArray<SemanticEdit> Edits, string? Refused) Find(
        Microsoft.CodeAnalysis.Compilation before, Microsoft.CodeAnalysis.Compilation after, IReadOnlyList<TreeEdit> trees)
    {
        var edits = ImmutableArray.CreateBuilder<SemanticEdit>();
        foreach (var (oldTree, newTree) in trees)
        {
            var (oldRoot, newRoot) = (oldTree.GetRoot(), newTree.GetRoot());
            if (HasLineDirectives(oldRoot) || HasLineDirectives(newRoot))
            {
                return (default, "a #line directive maps the file's lines");
            }

            var (oldBodies, newBodies) = (Bodies(oldRoot), Bodies(newRoot));
            if (Skeleton(oldRoot, oldBodies) != Skeleton(newRoot, newBodies))
            {
                return (default, $"'{Path.GetFileName(newTree.FilePath)}' changed outside method bodies");
            }

            if (MovedInitializers(oldRoot, newRoot))
            {
                return (default, "the edit moved field or property initialisers to other lines");
            }

            var (oldModel, newModel) = (before.GetSemanticModel(oldTree), after.GetSemanticModel(newTree));
            for (var i = 0; i < oldBodies.Count; i++)
            {
                var (oldBody, newBody) = (oldBodies[i], newBodies[i]);
                var changed = oldBody.Body.ToFullString() != newBody.Body.ToFullString();
                if (!changed && Line(oldBody.Member) == Line(newBody.Member))
                {
                    continue;
                }

                if ((SharedData.Find(oldModel, oldBody.Body) ?? SharedData.Find(newModel, newBody.Body)) is { } shared)
                {
                    return (default, $"an updated body uses {shared}, which a full compile stores outside the method");
                }

                if (changed && !FieldUse.Same(oldModel, oldBody.Body, newModel, newBody.Body))
                {
                    return (default, "the edit changes which fields a body reads or writes (the compiler's unused-field warnings depend on it)");
                }

                if (Method(oldModel, oldBody.Member) is not { } oldMethod || Method(newModel, newBody.Member) is not { } newMethod
                    || oldMethod.PartialDefinitionPart is not null || oldMethod.PartialImplementationPart is not null || oldMethod.IsAsync || newMethod.IsAsync)
                {
                    return (default, "an edited body belongs to a member the fast path does not update");
                }

                edits.Add(new SemanticEdit(SemanticEditKind.Update, oldMethod, newMethod));
            }
        }

        return edits.Count == 0 ? (default, "no method body changed") : (edits.ToImmutable(), null);
    }

    /// <summary>Every member with a body (methods, constructors, operators, accessors, expression-bodied properties), in file order.</summary>
    private static List<(SyntaxNode Member, SyntaxNode Body)> Bodies(SyntaxNode root)
    {
        var result = new List<(SyntaxNode, SyntaxNode)>();
        foreach (var node in root.DescendantNodes(n => n is not (BlockSyntax or ArrowExpressionClauseSyntax)))
        {
            SyntaxNode? body = node switch
            {
                BaseMethodDeclarationSyntax method => (SyntaxNode?)method.Body ?? method.ExpressionBody,
                AccessorDeclarationSyntax accessor => (SyntaxNode?)accessor.Body ?? accessor.ExpressionBody,
                BasePropertyDeclarationSyntax property when property is PropertyDeclarationSyntax { ExpressionBody: { } arrow } => arrow,
                IndexerDeclarationSyntax { ExpressionBody: { } arrow } => arrow,
                _ => null,
            };
            if (body is not null)
            {
                result.Add((node, body));
            }
        }

        return result;
    }

    /// <summary>The file's text with each body replaced by a mark: equal skeletons mean only bodies changed.</summary>
    private static string Skeleton(SyntaxNode root, List<(SyntaxNode Member, SyntaxNode Body)> bodies)
    {
        var text = root.ToFullString();
        var skeleton = new StringBuilder(text.Length);
        var at = 0;
        foreach (var (_, body) in bodies)
        {
            skeleton.Append(text, at, body.SpanStart - at).Append(BodyMark);
            at = body.Span.End;
        }

        return skeleton.Append(text, at, text.Length - at).ToString();
    }

    private static IMethodSymbol? Method(SemanticModel model, SyntaxNode member) => model.GetDeclaredSymbol(member) switch
    {
        IMethodSymbol method => method,
        IPropertySymbol property => property.GetMethod,
        _ => null,
    };

    private static bool MovedInitializers(SyntaxNode oldRoot, SyntaxNode newRoot)
    {
        static IEnumerable<int> Starts(SyntaxNode root) => root.DescendantNodes(n => n is not (BlockSyntax or ArrowExpressionClauseSyntax))
            .Where(n => n is EqualsValueClauseSyntax { Parent: VariableDeclaratorSyntax or PropertyDeclarationSyntax } or ParameterListSyntax { Parent: TypeDeclarationSyntax })
            .Select(Line);
        return !Starts(oldRoot).SequenceEqual(Starts(newRoot));
    }

    private static bool HasLineDirectives(SyntaxNode root) =>
        root.ContainsDirectives && root.DescendantTrivia().Any(t => t.IsKind(SyntaxKind.LineDirectiveTrivia) || t.IsKind(SyntaxKind.LineSpanDirectiveTrivia));

    private static int Line(SyntaxNode node) => node.GetLocation().GetLineSpan().StartLinePosition.Line;
}
