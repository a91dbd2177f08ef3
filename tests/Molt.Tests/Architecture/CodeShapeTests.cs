using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Molt.Tests.Architecture;

/// <summary>The house rules for the shape of product code (small files, short methods, few parameters), checked on every run.</summary>
public sealed class CodeShapeTests
{
    private const int MaxFileLines = 300;
    private const int MaxMethodLines = 60;
    private const int MaxParameters = 5;

    [Fact]
    public void NoSourceFileIsOverThreeHundredLines()
    {
        var long_ = SourceTree.ProductFiles()
            .Select(f => (File: SourceTree.Relative(f), Lines: File.ReadAllLines(f).Length))
            .Where(f => f.Lines > MaxFileLines)
            .Select(f => $"{f.File}: {f.Lines} lines")
            .ToArray();
        Assert.True(long_.Length == 0, string.Join("\n", long_));
    }

    [Fact]
    public void NoMethodIsOverSixtyLines()
    {
        var long_ = SourceTree.Methods()
            .Select(m => (m.File, m.Method, Lines: Lines(m.Method)))
            .Where(m => m.Lines > MaxMethodLines)
            .Select(m => $"{SourceTree.Relative(m.File)}: {Name(m.Method)} is {m.Lines} lines")
            .ToArray();
        Assert.True(long_.Length == 0, string.Join("\n", long_));
    }

    [Fact]
    public void NoMethodTakesMoreThanFiveParameters()
    {
        var wide = SourceTree.Methods()
            .Where(m => m.Method.ParameterList.Parameters.Count > MaxParameters)
            .Select(m => $"{SourceTree.Relative(m.File)}: {Name(m.Method)} takes {m.Method.ParameterList.Parameters.Count} parameters")
            .ToArray();
        Assert.True(wide.Length == 0, string.Join("\n", wide));
    }

    private static int Lines(BaseMethodDeclarationSyntax method)
    {
        var span = method.SyntaxTree.GetLineSpan(method.Span);
        return span.EndLinePosition.Line - span.StartLinePosition.Line + 1;
    }

    private static string Name(BaseMethodDeclarationSyntax method) => method switch
    {
        MethodDeclarationSyntax m => m.Identifier.Text,
        ConstructorDeclarationSyntax c => c.Identifier.Text + " (constructor)",
        _ => method.Kind().ToString(),
    };
}
