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
/// Decides whether an edit changed method bodies only. The methods whose body text changed are
/// updated by the delta; the lines of everything below them in the file moved, and that is
/// written in the PDB (<see cref="LineMap"/>) rather than compiled again, as their code is the
/// same. Anything else (a declaration, an initialiser, a comment between members, a
/// <c>#line</c> directive, a moved call that passes its own line number) makes the edit a full compile.
/// </summary>
internal static class BodyEdits
{
    private const char BodyMark = '\u0001';

    /// <summary>The semantic edits of a body-only edit and how each edited file's lines moved, or the reason it is not one.</summary>
    public static (ImmutableArray<SemanticEdit> Edits, IReadOnlyDictionary<string, LineMap> Lines, string? Refused) Find(
        Microsoft.CodeAnalysis.Compilation before, Microsoft.CodeAnalysis.Compilation after, IReadOnlyList<TreeEdit> trees)
    {
        var edits = ImmutableArray.CreateBuilder<SemanticEdit>();
        var lines = new Dictionary<string, LineMap>(StringComparer.Ordinal);
        foreach (var (oldTree, newTree) in trees)
        {
            var (oldRoot, newRoot) = (oldTree.GetRoot(), newTree.GetRoot());
            if (HasLineDirectives(oldRoot) || HasLineDirectives(newRoot))
            {
                return (default, lines, "a #line directive maps the file's lines");
            }

            var (oldBodies, newBodies) = (Bodies(oldRoot), Bodies(newRoot));
            if (Skeleton(oldRoot, oldBodies) != Skeleton(newRoot, newBodies))
            {
                return (default, lines, $"'{Path.GetFileName(newTree.FilePath)}' changed outside method bodies");
            }

            var (oldModel, newModel) = (before.GetSemanticModel(oldTree), after.GetSemanticModel(newTree));
            var changed = Enumerable.Range(0, oldBodies.Count).Where(i => oldBodies[i].Body.ToFullString() != newBodies[i].Body.ToFullString()).ToList();
            foreach (var i in changed)
            {
                var (oldBody, newBody) = (oldBodies[i], newBodies[i]);
                if (Refusal(oldModel, oldBody, newModel, newBody) is { } refused)
                {
                    return (default, lines, refused);
                }

                edits.Add(new SemanticEdit(SemanticEditKind.Update, Method(oldModel, oldBody.Member)!, Method(newModel, newBody.Member)!));
            }

            var map = LineMap.Of([.. changed.Select(i => (Lines(oldBodies[i].Body), Lines(newBodies[i].Body)))]);
            if (map.Moves && CallerLines.FindMoved(newModel, changed.Count == 0 ? 0 : newBodies[changed[0]].Body.Span.End) is { } caller)
            {
                return (default, lines, $"a call below the edit passes its line number to {caller} (compiled into the caller)");
            }

            lines[newTree.FilePath] = map;
        }

        return edits.Count == 0 ? (default, lines, "no method body changed") : (edits.ToImmutable(), lines, null);
    }

    /// <summary>Why a changed body cannot be updated by a delta exactly as a full compile would compile it, or <see langword="null"/>.</summary>
    private static string? Refusal(SemanticModel oldModel, (SyntaxNode Member, SyntaxNode Body) oldBody, SemanticModel newModel, (SyntaxNode Member, SyntaxNode Body) newBody)
    {
        if ((SharedData.Find(oldModel, oldBody.Body) ?? SharedData.Find(newModel, newBody.Body)) is { } shared)
        {
            return $"an edited body uses {shared}, which a full compile stores outside the method";
        }

        if (!FieldUse.Same(oldModel, oldBody.Body, newModel, newBody.Body))
        {
            return "the edit changes which fields a body reads or writes (the compiler's unused-field warnings depend on it)";
        }

        return Method(oldModel, oldBody.Member) is not { } oldMethod || Method(newModel, newBody.Member) is not { } newMethod
            || oldMethod.PartialDefinitionPart is not null || oldMethod.PartialImplementationPart is not null || oldMethod.IsAsync || newMethod.IsAsync
            ? "an edited body belongs to a member the fast path does not update (partial or async)"
            : null;
    }

    private static (int First, int Last) Lines(SyntaxNode node) => node.GetLocation().GetLineSpan() is var span ? (span.StartLinePosition.Line, span.EndLinePosition.Line) : default;

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

    private static bool HasLineDirectives(SyntaxNode root) =>
        root.ContainsDirectives && root.DescendantTrivia().Any(t => t.IsKind(SyntaxKind.LineDirectiveTrivia) || t.IsKind(SyntaxKind.LineSpanDirectiveTrivia));
}
