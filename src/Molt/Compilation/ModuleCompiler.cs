using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Emit;
using Microsoft.Extensions.Logging.Abstractions;
using Molt.Modules;
using Molt.Packages;

namespace Molt.Compilation;

/// <summary>
/// Compiles source modules in-process with Roslyn. Keeps what makes compiles fast: one set of
/// metadata references for the process, each file's syntax tree until its content changes, and
/// each module's last compilation so an edit rebinds against already-loaded references.
/// </summary>
internal sealed partial class ModuleCompiler
{
    private const string ImplicitUsingsPath = "MoltImplicitUsings.g.cs";

    private readonly MoltOptions _options;
    private readonly Lazy<ReferenceSet> _references;
    private readonly CompilationCache? _cache;
    private readonly ModulePackages _packages;
    private readonly Server.CompileServerClient? _server;

    // The compiler's own objects are made on first use: a host whose compiles go to the compile
    // server (or come from the compilation cache) never loads or runs the parser.
    private readonly Lazy<CompilerParts> _parts;

    public ModuleCompiler(MoltOptions options, CompilationCache? cache = null, PackageResolver? packages = null, Server.CompileServerClient? server = null)
    {
        _options = options;
        _server = server;
        _cache = cache;
        _packages = new ModulePackages(packages ?? new PackageResolver(options, NullLogger.Instance));
        _references = new Lazy<ReferenceSet>(() => ReferenceSet.Create(options.References), LazyThreadSafetyMode.ExecutionAndPublication);
        _parts = new Lazy<CompilerParts>(() => new CompilerParts(options, ImplicitNamespaces, ImplicitUsingsPath), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    private static readonly string[] ImplicitNamespaces =
    [
        "System", "System.Collections.Generic", "System.IO", "System.Linq", "System.Net.Http",
        "System.Threading", "System.Threading.Tasks", "Molt",
    ];

    /// <summary>The assembly name of a source module's generations.</summary>
    public static string AssemblyNameOf(string module)
    {
        var chars = module.Select(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-' ? c : '_').ToArray();
        return "Molt.Modules." + new string(chars);
    }

    /// <summary>
    /// Compiles and emits a throwaway module so the compiler's own code is jitted and the
    /// references' metadata is read before the first real reload needs them.
    /// </summary>
    public void WarmUp()
    {
        var tree = CSharpSyntaxTree.ParseText("namespace MoltWarmUp; public static class W { public static int F(int x) => x + 1; }", _parts.Value.ParseOptions);
        EmitAndDiscard(CreateCompilation("MoltWarmUp", [tree], _references.Value.References), CancellationToken.None);
    }

    /// <summary>
    /// Compiles a throwaway module, then a body edit of it the way an edit is compiled (a delta
    /// merged into the first image), and keeps nothing: the first real edit after start then finds
    /// the edit-and-continue emit and the merge jitted, as the rest of the compiler is by <see cref="WarmUp"/>.
    /// Returns whether the edit went that way (it does unless partial compiles are off).
    /// </summary>
    public bool WarmUpEdit()
    {
        const string Path = "/molt-warm-up/w.cs";
        var source = new ModuleSource { Name = "molt-warm-up", Kind = ModuleKind.SourceFile, Path = Path, Files = [], Hash = string.Empty, Order = 0 };
        CompiledModule? previous = null;
        foreach (var body in (string[])["x + 1", "x + 2"])
        {
            var text = $"namespace MoltWarmUp; public static class W {{ public static int F(int x) {{ return {body}; }} }}";
            var tree = CSharpSyntaxTree.ParseText(text, _parts.Value.ParseOptions, Path, System.Text.Encoding.UTF8);
            previous = Emit(new EmitInput(source, "MoltWarmUp", [tree], _references.Value.References, previous, HasDependents: false) { WarmingUp = true }, []);
        }

        return previous?.MergedDelta == true;
    }

    /// <summary>Emits as a module compile does (PE and PDB) and keeps nothing: only the compiler's code is exercised.</summary>
    private static void EmitAndDiscard(Microsoft.CodeAnalysis.Compilation compilation, CancellationToken cancellationToken)
    {
        using var pe = new MemoryStream();
        using var pdb = new MemoryStream();
        _ = compilation.Emit(pe, pdb, options: new EmitOptions(debugInformationFormat: DebugInformationFormat.PortablePdb), cancellationToken: cancellationToken);
    }

    /// <summary>Gets a value indicating whether compiled modules are kept in a compilation cache.</summary>
    public bool HasCache => _cache is not null;

    /// <summary>Gets the compile server's client, when compiles go to one.</summary>
    public Server.CompileServerClient? Server => _server;

    /// <summary>Gets what resolves the packages modules reference.</summary>
    public PackageResolver Packages => _packages.Resolver;

    /// <summary>Gets the number of files whose syntax tree is cached.</summary>
    internal int CachedTrees => _parts.IsValueCreated ? _parts.Value.Trees.Count : 0;

    /// <summary>
    /// Drops the cached trees of files that are no longer part of any module, so a long-running
    /// host whose modules come and go does not keep every file it ever saw.
    /// </summary>
    public void Forget(IEnumerable<ModuleSource> present)
    {
        if (!_parts.IsValueCreated)
        {
            return;
        }

        var trees = _parts.Value.Trees;
        var keep = present.SelectMany(s => s.FilePaths).ToHashSet(StringComparer.Ordinal);
        foreach (var path in trees.Keys)
        {
            if (!keep.Contains(path))
            {
                trees.TryRemove(path, out _);
            }
        }
    }

    /// <summary>
    /// Compiles and emits a parsed module, or takes it from the compilation cache when the same
    /// sources were compiled against the same references before; on errors, adds them to
    /// <paramref name="diagnostics"/> and returns <see langword="null"/>. With a compile server, the
    /// server compiles it; when the server does not answer in time, the compile happens here.
    /// </summary>
    public CompiledModule? Compile(CompileRequest request, List<ModuleDiagnostic> diagnostics)
    {
        var (source, facts, dependencies, previous, hasDependents) = request;
        if (!_packages.TryResolve(source, facts, dependencies, diagnostics, out var packages))
        {
            return null;
        }

        var assemblyName = AssemblyNameOf(source.Name);
        var key = _cache is null ? null : CompileCacheKey.Of(_options, _references.Value.Fingerprint, source, dependencies, packages);
        if (key is not null && _cache!.TryGet(key) is { } hit && hit.AssemblyName == assemblyName)
        {
            ModuleDiagnostic[] warnings = [.. hit.Warnings.Select(w => new ModuleDiagnostic(source.Name, w.Path, w.Line, w.Column, w.Id, DiagnosticSeverity.Warning, w.Message))];
            diagnostics.AddRange(warnings);

            // The warnings are kept with the image: a body edit merged into it carries the untouched files' ones.
            return new CompiledModule(assemblyName, hit.Image, hit.Pdb, null) { FromCache = true, ApiHash = hit.ApiHash, Packages = packages, Warnings = warnings };
        }

        var before = diagnostics.Count;
        CompiledModule? compiled = null;
        var remote = _server is not null
            && _server.TryCompile(new Server.RemoteCompile(source, assemblyName, _references.Value.PathsWith(packages), dependencies, hasDependents), diagnostics, out compiled);
        if (!remote && Parse(source, diagnostics) is { } parsed)
        {
            // Planning parsed it already, unless the server read its facts: then this parses it.
            compiled = Emit(new EmitInput(source, assemblyName, parsed.Trees, ReferencesFor(packages, dependencies), previous, hasDependents), diagnostics);
        }

        if (compiled is null)
        {
            return null;
        }

        compiled = compiled with { Packages = packages };
        if (key is not null)
        {
            var warnings = diagnostics.Skip(before).Where(d => d.Severity == DiagnosticSeverity.Warning);
            _cache!.Put(key, new CachedCompile(assemblyName, compiled.Image, compiled.Pdb, compiled.ApiHash, [.. warnings.Select(w => new CachedWarning(w.File, w.Line, w.Column, w.Id, w.Message))]));
        }

        return compiled;
    }

    /// <summary>
    /// Builds and emits (into nothing) the compilation of a module whose image came from the cache:
    /// the module's next edit then reuses its bound references, and the compiler's code paths for
    /// this kind of source are jitted before that edit needs them.
    /// </summary>
    public Microsoft.CodeAnalysis.Compilation Prime(ModuleSource source, ParsedModule parsed, IReadOnlyList<CompiledModule> dependencies, ResolvedPackages? packages, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var compilation = CreateCompilation(AssemblyNameOf(source.Name), parsed.Trees, ReferencesFor(packages, dependencies));
        EmitAndDiscard(compilation, cancellationToken);
        return compilation;
    }

    /// <summary>The host's references (with the packages' where the host has no copy as high), then the modules depended on.</summary>
    private ImmutableArray<MetadataReference> ReferencesFor(ResolvedPackages? packages, IReadOnlyList<CompiledModule> dependencies) =>
        _references.Value.With(packages).AddRange(dependencies.Select(d => d.Reference));

    private CSharpCompilation CreateCompilation(string assemblyName, IEnumerable<SyntaxTree> trees, ImmutableArray<MetadataReference> references) =>
        CSharpCompilation.Create(assemblyName, trees, references, _parts.Value.CompilationOptions);
}
