using System.Collections.Immutable;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;
using System.Runtime.Loader;
using System.Text;
using Molt.Compilation;
using Molt.Modules;
using Molt.Reloading;

namespace Molt.Tests.Delta;

/// <summary>
/// Compiles a folder module's sources twice, once on the previous compile (so a body edit is
/// merged as a delta) and once from nothing with partial compiles off, and describes each image
/// in every way the two must agree: what its code returns, its stack traces (file and line), its
/// metadata, its sequence points and locals, its warnings.
/// </summary>
internal sealed class DeltaOracle
{
    private readonly ModuleCompiler _merging = new(new MoltOptions { WarmUpCompiler = false, AllowProcessExit = true });
    private readonly ModuleCompiler _whole = new(new MoltOptions { WarmUpCompiler = false, PartialCompiles = false, AllowProcessExit = true });
    private CompiledModule? _previous;

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "molt-delta-" + Guid.NewGuid().ToString("N")[..8], "app");

    /// <summary>Compiles the sources both ways; returns the merging compile and the two descriptions.</summary>
    public (CompiledModule Merging, string MergedView, string WholeView) Compile(IReadOnlyDictionary<string, string> files)
    {
        var merging = Compile(_merging, files, _previous, out var mergingWarnings);
        var whole = Compile(_whole, files, null, out var wholeWarnings);
        _previous = merging;
        return (merging, Describe(merging, mergingWarnings), Describe(whole, wholeWarnings));
    }

    private CompiledModule Compile(ModuleCompiler compiler, IReadOnlyDictionary<string, string> files, CompiledModule? previous, out List<ModuleDiagnostic> diagnostics)
    {
        diagnostics = [];
        var source = FolderSource(Root, files);
        var facts = compiler.ReadFacts(source, diagnostics) ?? throw new InvalidOperationException(string.Join('\n', diagnostics));
        return compiler.Compile(new CompileRequest(source, facts, [], previous, false), diagnostics)
            ?? throw new InvalidOperationException(string.Join('\n', diagnostics));
    }

    /// <summary>A folder module named <c>app</c> at <paramref name="root"/> holding <paramref name="files"/> (relative path → text), as a scan reads it.</summary>
    public static ModuleSource FolderSource(string root, IReadOnlyDictionary<string, string> files) => new()
    {
        Name = "app",
        Kind = ModuleKind.SourceFolder,
        Path = root,
        Files = [.. files.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => new ModuleFile(Path.Combine(root, f.Key), Encoding.UTF8.GetBytes(f.Value), default))],
        Hash = string.Empty,
        Order = 0,
    };

    private static string Describe(CompiledModule module, List<ModuleDiagnostic> diagnostics)
    {
        var view = new StringBuilder();
        view.AppendLine("warnings: " + string.Join(" ; ", diagnostics.Select(d => d.ToString()).Order(StringComparer.Ordinal)));
        Run(module, view);
        DescribeMetadata(module.Image, view);
        DescribePdb(module.Image, module.Pdb!, view);
        return view.ToString();
    }

    /// <summary>Loads the image in a collectible context, lists its types and calls <c>App.Probe.Run</c> and <c>App.Probe.Fail</c> when it has them.</summary>
    private static void Run(CompiledModule module, StringBuilder view)
    {
        var context = new AssemblyLoadContext("delta-oracle", isCollectible: true);
        try
        {
            var assembly = context.LoadFromStream(new MemoryStream(module.Image), new MemoryStream(module.Pdb!));
            if (assembly.GetType("App.Probe") is { } probe)
            {
                view.AppendLine("run: " + probe.GetMethod("Run")!.Invoke(null, null));
                view.AppendLine("fail: " + probe.GetMethod("Fail")!.Invoke(null, null));
            }

            view.AppendLine("types: " + string.Join(",", assembly.GetTypes().Select(t => t.FullName).Order(StringComparer.Ordinal)));
            view.AppendLine("references: " + string.Join(",", assembly.GetReferencedAssemblies().Select(a => a.FullName).Order(StringComparer.Ordinal)));
        }
        finally
        {
            context.Unload();
        }
    }

    private static void DescribeMetadata(byte[] image, StringBuilder view)
    {
        using var pe = new PEReader(ImmutableArray.Create(image));
        var md = pe.GetMetadataReader();
        foreach (var type in md.TypeDefinitions.Select(md.GetTypeDefinition))
        {
            view.Append("type ").Append(md.GetString(type.Namespace)).Append('.').Append(md.GetString(type.Name)).Append(' ').Append(type.Attributes).AppendLine();
            foreach (var method in type.GetMethods().Select(md.GetMethodDefinition))
            {
                var il = method.RelativeVirtualAddress == 0 ? "-" : Convert.ToHexString(pe.GetMethodBody(method.RelativeVirtualAddress).GetILBytes() ?? []).Length.ToString(System.Globalization.CultureInfo.InvariantCulture);
                view.Append("  method ").Append(md.GetString(method.Name)).Append(' ').Append(method.Attributes).Append(' ').Append(method.ImplAttributes)
                    .Append(" sig ").Append(Convert.ToHexString(md.GetBlobBytes(method.Signature))).Append(" il ").Append(il)
                    .Append(" params ").Append(method.GetParameters().Count).Append(" attributes ").Append(method.GetCustomAttributes().Count).AppendLine();
            }

            foreach (var field in type.GetFields().Select(md.GetFieldDefinition))
            {
                view.Append("  field ").Append(md.GetString(field.Name)).Append(' ').Append(field.Attributes).AppendLine();
            }
        }

        view.AppendLine("assembly attributes: " + md.GetAssemblyDefinition().GetCustomAttributes().Count);
    }

    private static void DescribePdb(byte[] image, byte[] pdb, StringBuilder view)
    {
        using var pe = new PEReader(ImmutableArray.Create(image));
        var md = pe.GetMetadataReader();
        using var provider = MetadataReaderProvider.FromPortablePdbImage(ImmutableArray.Create(pdb));
        var debug = provider.GetMetadataReader();
        foreach (var handle in md.MethodDefinitions)
        {
            var method = md.GetMethodDefinition(handle);
            var name = md.GetString(md.GetTypeDefinition(method.GetDeclaringType()).Name) + "." + md.GetString(method.Name);
            var info = debug.GetMethodDebugInformation(handle);
            var points = info.GetSequencePoints().Select(p => p.IsHidden ? "hidden" : $"{debug.GetString(debug.GetDocument(p.Document).Name)}:{p.StartLine}:{p.StartColumn}-{p.EndLine}:{p.EndColumn}");
            var locals = debug.GetLocalScopes(handle).Select(debug.GetLocalScope)
                .Select(s => $"[{s.StartOffset}+{s.Length}: {string.Join(",", s.GetLocalVariables().Select(v => debug.GetString(debug.GetLocalVariable(v).Name)))}]");
            view.Append("debug ").Append(name).Append(": ").AppendJoin(' ', points).Append(" scopes ").AppendJoin(' ', locals)
                .Append(" cdi ").Append(debug.GetCustomDebugInformation(handle).Count).AppendLine();
        }

        view.AppendLine("documents: " + string.Join(",", debug.Documents.Select(d => debug.GetString(debug.GetDocument(d).Name)).Order(StringComparer.Ordinal)));
    }
}
