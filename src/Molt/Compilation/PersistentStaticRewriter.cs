using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace Molt.Compilation;

/// <summary>
/// Turns every <c>[Persistent]</c> static field or auto-property of a source file into a property
/// whose reads and writes go through a persistent-state handle, bound when the generation loads
/// (<see cref="PersistentStaticSupport"/>). The rewrite keeps every line where it was, so errors
/// and stack traces still point at the lines the programmer wrote.
/// </summary>
internal static class PersistentStaticRewriter
{
    private const string Bind = "global::Molt.Generated.MoltPersistentStatics.Bind";
    private const string DefaultPolicy = "global::Molt.MigrationFailurePolicy.FailReload";

    /// <summary>Rewrites <paramref name="tree"/>, or returns it as is when it declares no persistent static.</summary>
    /// <returns>The tree to compile, and whether it declares persistent statics.</returns>
    public static (SyntaxTree Tree, bool HasPersistent) Rewrite(SyntaxTree tree, string module, List<ModuleDiagnostic> diagnostics)
    {
        var text = tree.GetText();
        if (!text.ToString().Contains("Persistent", StringComparison.Ordinal))
        {
            return (tree, false);
        }

        var changes = new List<TextChange>();
        foreach (var type in tree.GetCompilationUnitRoot().DescendantNodes().OfType<TypeDeclarationSyntax>())
        {
            var classPolicy = PolicyOf(type.AttributeLists);
            foreach (var member in type.Members)
            {
                if (Rewritten(type, member, classPolicy, module, diagnostics) is { } change)
                {
                    changes.Add(change);
                }
            }
        }

        return changes.Count == 0
            ? (tree, false)
            : (CSharpSyntaxTree.ParseText(text.WithChanges(changes), (CSharpParseOptions)tree.Options, tree.FilePath), true);
    }

    private static TextChange? Rewritten(TypeDeclarationSyntax type, MemberDeclarationSyntax member, string? classPolicy, string module, List<ModuleDiagnostic> diagnostics)
    {
        var (attributes, modifiers) = member switch
        {
            FieldDeclarationSyntax f when !f.Modifiers.Any(SyntaxKind.ConstKeyword) => (f.AttributeLists, f.Modifiers),
            PropertyDeclarationSyntax p => (p.AttributeLists, p.Modifiers),
            _ => (default, default),
        };
        var policy = PolicyOf(attributes) ?? (modifiers.Any(SyntaxKind.StaticKeyword) ? classPolicy : null);
        if (policy is null)
        {
            return null;
        }

        var problem = !modifiers.Any(SyntaxKind.StaticKeyword) ? "only static fields and auto-properties can be [Persistent]"
            : type.AncestorsAndSelf().OfType<TypeDeclarationSyntax>().Any(t => t.TypeParameterList is not null) ? "[Persistent] statics cannot be declared in generic types"
            : member is PropertyDeclarationSyntax property && !IsAuto(property) ? "only auto-properties can be [Persistent]"
            : null;
        if (problem is not null)
        {
            var span = member.GetLocation().GetLineSpan();
            diagnostics.Add(new ModuleDiagnostic(module, span.Path, span.StartLinePosition.Line + 1, span.StartLinePosition.Character + 1, MoltDiagnosticIds.BadPersistentStatic, DiagnosticSeverity.Error, problem + "."));
            return null;
        }

        var start = modifiers.Count > 0 ? modifiers[0].SpanStart : member.SpanStart;
        var generated = member is FieldDeclarationSyntax field ? Field(type, field, policy) : Property(type, (PropertyDeclarationSyntax)member, policy);
        return new TextChange(TextSpan.FromBounds(start, member.Span.End), generated);
    }

    private static bool IsAuto(PropertyDeclarationSyntax property) =>
        property.AccessorList is { } accessors && accessors.Accessors.All(a => a.Body is null && a.ExpressionBody is null);

    private static string Field(TypeDeclarationSyntax type, FieldDeclarationSyntax field, string policy)
    {
        var modifiers = Modifiers(field.Modifiers);
        var readOnly = field.Modifiers.Any(SyntaxKind.ReadOnlyKeyword);
        var valueType = field.Declaration.Type.ToString();
        var text = new StringBuilder();
        foreach (var variable in field.Declaration.Variables)
        {
            var name = variable.Identifier.Text;
            var accessors = readOnly ? $"get => {Handle(name)}.Value;" : $"get => {Handle(name)}.Value; set => {Handle(name)}.Value = value;";
            text.Append($"{modifiers} {valueType} {name} {{ {accessors} }} ");
            text.Append(Binding(type, name, valueType, Initializer(variable.Initializer?.Value, valueType), policy));
        }

        return text.ToString();
    }

    private static string Property(TypeDeclarationSyntax type, PropertyDeclarationSyntax property, string policy)
    {
        var name = property.Identifier.Text;
        var valueType = property.Type.ToString();
        var accessors = string.Join(" ", property.AccessorList!.Accessors.Select(a =>
            $"{a.Modifiers} {a.Keyword.Text} => {(a.Keyword.IsKind(SyntaxKind.GetKeyword) ? $"{Handle(name)}.Value" : $"{Handle(name)}.Value = value")};"));
        return $"{Modifiers(property.Modifiers)} {valueType} {name} {{ {accessors} }} " + Binding(type, name, valueType, Initializer(property.Initializer?.Value, valueType), policy);
    }

    /// <summary>
    /// The initialiser as an expression the binding's lambda can return: an array initialiser
    /// (<c>static int[,] s_map = { { 1, 2 } };</c>) is only valid in a declaration, so it gets its <c>new T</c>.
    /// </summary>
    private static string? Initializer(ExpressionSyntax? value, string valueType) =>
        value is InitializerExpressionSyntax { RawKind: (int)SyntaxKind.ArrayInitializerExpression }
            ? $"new {valueType} {value.ToFullString()}"
            : value?.ToFullString();

    /// <summary>The handle's cache and the method that binds it (all on the declaration's own line).</summary>
    private static string Binding(TypeDeclarationSyntax type, string name, string valueType, string? initializer, string policy) =>
        $"private static global::Molt.IPersistentState<{valueType}>? __MoltState_{name}; " +
        $"private static global::Molt.IPersistentState<{valueType}> __MoltBind_{name}() => __MoltState_{name} ??= {Bind}<{valueType}>(\"{FullName(type)}.{name}\", static () => {initializer ?? "default!"}, {policy});";

    private static string Handle(string name) => $"__MoltBind_{name}()";

    private static string Modifiers(SyntaxTokenList modifiers) =>
        string.Join(" ", modifiers.Where(m => !m.IsKind(SyntaxKind.ReadOnlyKeyword) && !m.IsKind(SyntaxKind.VolatileKeyword)).Select(m => m.Text));

    /// <summary>The policy an attribute list's <c>[Persistent]</c> asks for, or <see langword="null"/> when it has none.</summary>
    private static string? PolicyOf(SyntaxList<AttributeListSyntax> lists)
    {
        foreach (var attribute in lists.SelectMany(l => l.Attributes))
        {
            var name = attribute.Name.ToString();
            if (name is "Persistent" or "PersistentAttribute" or "Molt.Persistent" or "Molt.PersistentAttribute" or "global::Molt.Persistent")
            {
                return attribute.ArgumentList?.Arguments.FirstOrDefault(a => a.NameEquals?.Name.Identifier.Text == "OnMigrationFailure")?.Expression.ToString() ?? DefaultPolicy;
            }
        }

        return null;
    }

    private static string FullName(TypeDeclarationSyntax type)
    {
        var names = type.AncestorsAndSelf().Select(n => n switch
        {
            TypeDeclarationSyntax t => t.Identifier.Text,
            BaseNamespaceDeclarationSyntax ns => ns.Name.ToString(),
            _ => null,
        }).OfType<string>().Reverse();
        return string.Join(".", names);
    }
}
