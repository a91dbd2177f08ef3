using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Molt.Modules;
using Molt.Packages;

namespace Molt.Compilation;

/// <summary>The compiler's objects a <see cref="ModuleCompiler"/> makes on first use, and the syntax trees it keeps.</summary>
internal sealed class CompilerParts
{
    public CompilerParts(MoltOptions options, IEnumerable<string> implicitNamespaces, string implicitUsingsPath)
    {
        ImplicitUsings = CSharpSyntaxTree.ParseText(
            string.Join('\n', implicitNamespaces.Select(n => $"global using global::{n};")),
            ParseOptions,
            implicitUsingsPath,
            Encoding.UTF8);
        PersistentSupport = PersistentStaticSupport.Tree(ParseOptions);
        CompilationOptions = new CSharpCompilationOptions(
                OutputKind.DynamicallyLinkedLibrary,
                optimizationLevel: options.OptimizationLevel,
                nullableContextOptions: NullableContextOptions.Enable,
                concurrentBuild: true,

                // Deterministic, so the reference assembly emitted beside each image is the same
                // bytes whenever the public API is: that is how dependents know they need no recompile.
                deterministic: true)
            .WithSpecificDiagnosticOptions(new Dictionary<string, ReportDiagnostic>
            {
                // Binding redirects between framework reference versions: noise for in-process compiles.
                ["CS1701"] = ReportDiagnostic.Suppress,
                ["CS1702"] = ReportDiagnostic.Suppress,
            });
    }

    public CSharpParseOptions ParseOptions { get; } = new(LanguageVersion.Latest, DocumentationMode.None, SourceCodeKind.Regular, ["MOLT"]);

    public CSharpCompilationOptions CompilationOptions { get; }

    public SyntaxTree ImplicitUsings { get; }

    public SyntaxTree PersistentSupport { get; }

    /// <summary>Gets each file's tree, by path, with the hash of the content it was parsed from.</summary>
    public ConcurrentDictionary<string, (byte[] Hash, SyntaxTree Tree, bool Persistent)> Trees { get; } = new(StringComparer.Ordinal);
}

internal sealed partial class ModuleCompiler
{
    /// <summary>
    /// Reads what planning needs of a source module (its dependencies and packages): from the
    /// compilation cache when these sources were read before; else from the compile server when
    /// compiles go to one, so this process does not parse; else here (also when the server cannot
    /// answer). <see langword="null"/>, with the diagnostics added, when the sources cannot be
    /// parsed (not UTF-8, nested too deep, a misused <c>[Persistent]</c>).
    /// </summary>
    public ModuleFacts? ReadFacts(ModuleSource source, List<ModuleDiagnostic> diagnostics)
    {
        var key = _cache is null ? null : CachedFacts.KeyOf(source);
        if (key is not null && _cache!.TryGetFacts(key, source.Name) is { } cached)
        {
            return cached;
        }

        var facts = _server is not null && _server.TryScan(source, diagnostics, out var scanned)
            ? scanned
            : Parse(source, diagnostics)?.Facts;
        if (key is not null && facts is not null)
        {
            _cache!.PutFacts(key, facts);
        }

        return facts;
    }

    /// <summary>Parses a source module's files, reusing the tree of every file whose content did not change.</summary>
    public ParsedModule? Parse(ModuleSource source, List<ModuleDiagnostic> diagnostics)
    {
        var parts = _parts.Value;
        var trees = ImmutableArray.CreateBuilder<SyntaxTree>(source.Files.Length + 2);
        var ok = true;
        var persistent = false;
        foreach (var file in source.Files)
        {
            var hash = SHA256.HashData(file.Content);
            if (parts.Trees.TryGetValue(file.Path, out var cached) && cached.Hash.AsSpan().SequenceEqual(hash))
            {
                trees.Add(cached.Tree);
                persistent |= cached.Persistent;
                continue;
            }

            if (SourceDecoder.Decode(source.Name, file, diagnostics) is not { } text)
            {
                ok = false;
                continue;
            }

            var before = diagnostics.Count;
            var (tree, hasPersistent) = PersistentStaticRewriter.Rewrite(CSharpSyntaxTree.ParseText(text, parts.ParseOptions, file.Path), source.Name, diagnostics);
            if (diagnostics.Count > before)
            {
                ok = false;
                continue;
            }

            parts.Trees[file.Path] = (hash, tree, hasPersistent);
            persistent |= hasPersistent;
            trees.Add(tree);
        }

        if (!ok)
        {
            return null;
        }

        if (persistent)
        {
            trees.Add(parts.PersistentSupport);
        }

        if (_options.ImplicitUsings)
        {
            trees.Add(parts.ImplicitUsings);
        }

        var built = trees.ToImmutable();
        var (packages, problems) = PackageReader.FromSyntax(built);
        var dependencies = DependencyReader.FromSyntax(built).Select(d => new DeclaredDependency(d.Module, SourceSpot.Of(d.Location)));
        return new ParsedModule(built, new ModuleFacts([.. dependencies], packages, [.. problems.Select(p => ToDiagnostic(source.Name, p))]));
    }
}
