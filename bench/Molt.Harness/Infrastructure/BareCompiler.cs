using System.Collections.Immutable;
using System.Runtime.Loader;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Emit;
using Microsoft.CodeAnalysis.Text;

namespace Molt.Harness.Infrastructure;

/// <summary>
/// The baseline of item 2d: a bare Roslyn compile + emit of a module's files, with the same
/// references the engine uses (built the way <c>Molt.Compilation.ReferenceSet</c> builds them:
/// the trusted platform assemblies plus the host's loaded assemblies, created once and reused)
/// and the same parse and compilation options.
/// </summary>
internal sealed class BareCompiler
{
    private static readonly string[] s_implicit =
        ["System", "System.Collections.Generic", "System.IO", "System.Linq", "System.Net.Http", "System.Threading", "System.Threading.Tasks", "Molt"];

    private readonly CSharpParseOptions _parse = new(LanguageVersion.Preview, DocumentationMode.None, SourceCodeKind.Regular, ["MOLT"]);
    private readonly CSharpCompilationOptions _options = new CSharpCompilationOptions(
            OutputKind.DynamicallyLinkedLibrary, optimizationLevel: OptimizationLevel.Release, nullableContextOptions: NullableContextOptions.Enable, concurrentBuild: true, deterministic: false)
        .WithSpecificDiagnosticOptions(new Dictionary<string, ReportDiagnostic> { ["CS1701"] = ReportDiagnostic.Suppress, ["CS1702"] = ReportDiagnostic.Suppress });

    private readonly ImmutableArray<MetadataReference> _references;
    private readonly SyntaxTree _usings;

    public BareCompiler()
    {
        var paths = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") is string tpa)
        {
            foreach (var path in tpa.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            {
                paths.TryAdd(Path.GetFileNameWithoutExtension(path), path);
            }
        }

        foreach (var assembly in AssemblyLoadContext.Default.Assemblies)
        {
            if (!assembly.IsDynamic && !string.IsNullOrEmpty(assembly.Location))
            {
                paths.TryAdd(Path.GetFileNameWithoutExtension(assembly.Location), assembly.Location);
            }
        }

        _references = [.. paths.Values.Order(StringComparer.Ordinal).Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))];
        _usings = CSharpSyntaxTree.ParseText(string.Join('\n', s_implicit.Select(n => $"global using global::{n};")), _parse, "usings.g.cs", Encoding.UTF8);
    }

    public int ReferenceCount => _references.Length;

    public ImmutableArray<MetadataReference> References => _references;

    public CSharpCompilationOptions CompilationOptions => _options;

    /// <summary>Parses the files, then compiles and emits them (PE only, to memory).</summary>
    public void ParseCompileEmit(IReadOnlyList<string> files) => Emit(Parse(files), pdb: false);

    public IReadOnlyList<SyntaxTree> Parse(IReadOnlyList<string> files) =>
        [.. files.Select(f => CSharpSyntaxTree.ParseText(SourceText.From(File.ReadAllText(f), Encoding.UTF8, SourceHashAlgorithm.Sha256), _parse, f)), _usings];

    /// <summary>Compiles and emits already parsed trees, optionally with a portable PDB as the engine does.</summary>
    public void Emit(IReadOnlyList<SyntaxTree> trees, bool pdb)
    {
        var compilation = CSharpCompilation.Create("Bare" + Guid.NewGuid().ToString("N"), trees, _references, _options);
        using var pe = new MemoryStream();
        using var symbols = pdb ? new MemoryStream() : null;
        var result = compilation.Emit(pe, symbols, options: pdb ? new EmitOptions(debugInformationFormat: DebugInformationFormat.PortablePdb) : null);
        if (!result.Success)
        {
            throw new InvalidOperationException("Baseline compile failed: " + string.Join("; ", result.Diagnostics.Where(d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error).Take(5)));
        }
    }
}
