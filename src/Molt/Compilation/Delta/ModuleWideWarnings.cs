using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Molt.Compilation.Delta;

/// <summary>
/// Carries the previous compile's warnings into a body edit's. Warnings of files the edit did not
/// touch stay as they were; in edited files, binding them again gives every warning except the
/// ones the compiler decides over the whole module (a field or event never used, read or
/// assigned). Those cannot change (<see cref="FieldUse"/> refuses edits that could change them),
/// but lines in the file may have moved: each is moved to the same declaration in the new tree.
/// </summary>
internal static class ModuleWideWarnings
{
    private static readonly HashSet<string> s_ids = ["CS0067", "CS0169", "CS0414", "CS0649"];

    public static IEnumerable<ModuleDiagnostic> Carry(IReadOnlyList<ModuleDiagnostic> previous, IReadOnlyList<TreeEdit> edited)
    {
        var byPath = edited.ToDictionary(e => e.New.FilePath, StringComparer.Ordinal);
        foreach (var warning in previous)
        {
            if (warning.File is null || !byPath.TryGetValue(warning.File, out var edit))
            {
                yield return warning;
            }
            else if (s_ids.Contains(warning.Id))
            {
                yield return Moved(warning, edit);
            }
        }
    }

    /// <summary>The warning at the same declarator (by its place among the file's declarators: only bodies changed) of the new tree.</summary>
    private static ModuleDiagnostic Moved(ModuleDiagnostic warning, TreeEdit edit)
    {
        var oldText = edit.Old.GetText();
        if (warning.Line < 1 || warning.Line > oldText.Lines.Count)
        {
            return warning;
        }

        var position = oldText.Lines[warning.Line - 1].Start + warning.Column - 1;
        var oldNodes = Declarations(edit.Old.GetRoot());
        var index = oldNodes.FindIndex(n => n.Span.Contains(position));
        var newNodes = Declarations(edit.New.GetRoot());
        if (index < 0 || index >= newNodes.Count)
        {
            return warning;
        }

        var offset = position - oldNodes[index].SpanStart;
        var line = edit.New.GetText().Lines.GetLinePosition(newNodes[index].SpanStart + offset);
        return warning with { Line = line.Line + 1, Column = line.Character + 1 };
    }

    private static List<SyntaxNode> Declarations(SyntaxNode root) =>
        [.. root.DescendantNodes(n => n is not (BlockSyntax or ArrowExpressionClauseSyntax)).Where(n => n is VariableDeclaratorSyntax or EventDeclarationSyntax)];
}
