using System.Globalization;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Molt.Harness.Infrastructure;
using Xunit.Abstractions;

namespace Molt.Tests.Delta;

/// <summary>
/// Edits generated over a whole program kept as one folder module, one after another: a line and
/// a string inserted at the start of the first block body of a file, in every few files, so each
/// edit changes one body and moves the lines of every member below it. Each edit is compiled on
/// the previous compile and from nothing; the images must agree, whichever path the edit took.
/// The program is the benchmarks' generated one (records, LINQ, iterators, switch expressions),
/// or any folder of C# files named by <c>MOLT_DELTA_PROGRAM</c> (a real program checked out).
/// </summary>
public sealed class RealProgramDeltaTests(ITestOutputHelper output)
{
    private const int Edits = 12;

    [Fact]
    public void GeneratedEditsOfAWholeProgramGiveTheImagesAFullCompileGives()
    {
        var files = Program();
        var oracle = new DeltaOracle();
        var (_, firstMerged, firstWhole) = oracle.Compile(files);
        Assert.Equal(firstWhole, firstMerged);

        var (merged, edit) = (0, 0);
        var step = Math.Max(1, files.Count / Edits);
        foreach (var path in files.Keys.Where((_, i) => i % step == step / 2).Take(Edits).ToArray())
        {
            var body = CSharpSyntaxTree.ParseText(files[path]).GetRoot().DescendantNodes().OfType<BaseMethodDeclarationSyntax>().FirstOrDefault(m => m.Body is not null)?.Body;
            if (body is null)
            {
                continue;
            }

            edit++;
            var insert = $"\n_ = \"molt delta {edit.ToString(CultureInfo.InvariantCulture)}\";";
            files[path] = files[path].Insert(body.OpenBraceToken.Span.End, insert);
            var (module, mergedView, wholeView) = oracle.Compile(files);
            output.WriteLine($"{path}: {(module.MergedDelta ? "merged" : "compiled whole: " + module.DeltaRefused)}");
            Assert.True(wholeView == mergedView, $"{path}: the merged image differs from a full compile's\n{DeltaMergeTests.FirstDifference(wholeView, mergedView)}");
            merged += module.MergedDelta ? 1 : 0;
        }

        output.WriteLine($"{merged} of {edit} edits merged");
        Assert.True(edit >= Edits / 2 && merged >= edit / 3, $"{merged} of {edit} edits were merged");
    }

    private static Dictionary<string, string> Program()
    {
        if (Environment.GetEnvironmentVariable("MOLT_DELTA_PROGRAM") is { Length: > 0 } directory)
        {
            return Directory.GetFiles(directory, "*.cs", SearchOption.AllDirectories)
                .Where(f => !f.Split(Path.DirectorySeparatorChar).Any(part => part is "obj" or "bin" || part.EndsWith("Tests", StringComparison.Ordinal)))
                .Order(StringComparer.Ordinal)
                .ToDictionary(f => Path.GetRelativePath(directory, f), File.ReadAllText);
        }

        return Enumerable.Range(0, ProgramGenerator.FileCount).ToDictionary(i => ProgramGenerator.Name(i) + ".cs", i => ProgramGenerator.Source(i, 1, split: false));
    }
}
