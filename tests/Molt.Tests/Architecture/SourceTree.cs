using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Molt.Tests.Architecture;

/// <summary>The repository's product sources (<c>src/</c>), parsed.</summary>
internal static class SourceTree
{
    public static string RepositoryRoot { get; } = FindRoot();

    public static IEnumerable<string> ProductFiles() =>
        Directory.EnumerateFiles(Path.Combine(RepositoryRoot, "src"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Split(Path.DirectorySeparatorChar).Any(p => p is "bin" or "obj"))
            .Order(StringComparer.Ordinal);

    public static IEnumerable<(string File, BaseMethodDeclarationSyntax Method)> Methods() =>
        ProductFiles().SelectMany(file => CSharpSyntaxTree.ParseText(File.ReadAllText(file), path: file)
            .GetRoot()
            .DescendantNodes()
            .OfType<BaseMethodDeclarationSyntax>()
            .Select(m => (file, m)));

    public static string Relative(string file) => Path.GetRelativePath(RepositoryRoot, file);

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Molt.slnx")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Molt.slnx not found above " + AppContext.BaseDirectory);
    }
}
