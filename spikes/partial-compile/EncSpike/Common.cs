using System.Collections.Immutable;
using System.Diagnostics;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;
using System.Text;
using Microsoft.CodeAnalysis;
using Molt.Harness.Infrastructure;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Emit;

namespace EncSpike;

/// <summary>Builds compilations the way Molt's ModuleCompiler does (same parse/compile options, implicit usings).</summary>
internal static class Common
{
    public static readonly CSharpParseOptions Parse = new(LanguageVersion.Latest, DocumentationMode.None, SourceCodeKind.Regular, ["MOLT"]);

    static ImmutableArray<MetadataReference> s_refs;
    public static ImmutableArray<MetadataReference> Refs => s_refs.IsDefault
        ? s_refs = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")).Split(Path.PathSeparator)
            .Where(p => Path.GetFileName(p) is var n && (n.StartsWith("System.") || n is "mscorlib.dll" or "netstandard.dll" or "Microsoft.CSharp.dll"))
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToImmutableArray()
        : s_refs;

    public static readonly SyntaxTree ImplicitUsings = CSharpSyntaxTree.ParseText(
        string.Join('\n', new[] { "System", "System.Collections.Generic", "System.IO", "System.Linq", "System.Net.Http", "System.Threading", "System.Threading.Tasks", "Molt" }
            .Select(n => $"global using global::{n};")), Parse, "MoltImplicitUsings.g.cs", Encoding.UTF8);

    // Stand-ins for Molt.Abstractions' attributes (the generated program uses [Export] and, split, [DependsOn]).
    public static readonly SyntaxTree MoltStubs = CSharpSyntaxTree.ParseText("""
        namespace Molt
        {
            [System.AttributeUsage(System.AttributeTargets.Method)] public sealed class ExportAttribute(string name) : System.Attribute { public string Name => name; }
            [System.AttributeUsage(System.AttributeTargets.Assembly, AllowMultiple = true)] public sealed class DependsOnAttribute(string name) : System.Attribute { public string Name => name; }
        }
        """, Parse, "MoltStubs.g.cs", Encoding.UTF8);

    public static CSharpCompilationOptions Options(OptimizationLevel level) => new CSharpCompilationOptions(
            OutputKind.DynamicallyLinkedLibrary, optimizationLevel: level, nullableContextOptions: NullableContextOptions.Enable,
            concurrentBuild: true, deterministic: true)
        .WithSpecificDiagnosticOptions(new Dictionary<string, ReportDiagnostic> { ["CS1701"] = ReportDiagnostic.Suppress, ["CS1702"] = ReportDiagnostic.Suppress });

    public static SyntaxTree Tree(string text, string path) => CSharpSyntaxTree.ParseText(text, Parse, path, Encoding.UTF8);

    public static CSharpCompilation Program(int files, OptimizationLevel level, string name = "Molt.Modules.app")
    {
        var trees = Enumerable.Range(0, files).Select(i => Tree(ProgramGenerator.Source(i, 1, split: false), $"/app/{ProgramGenerator.Name(i)}.cs")).ToList();
        trees.Add(MoltStubs);
        trees.Add(ImplicitUsings);
        return CSharpCompilation.Create(name, trees, Refs, Options(level));
    }

    public static (byte[] Pe, byte[] Pdb) Emit(Compilation c)
    {
        using var pe = new MemoryStream();
        using var pdb = new MemoryStream();
        var r = c.Emit(pe, pdb, options: new EmitOptions(debugInformationFormat: DebugInformationFormat.PortablePdb));
        if (!r.Success)
        {
            throw new InvalidOperationException(string.Join('\n', r.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Take(10)));
        }

        return (pe.ToArray(), pdb.ToArray());
    }

    /// <summary>The initial baseline of an image compiled from <paramref name="c"/> (how Roslyn's own EnC tests and dotnet-watch do it).</summary>
    public static EmitBaseline Baseline(Compilation c, byte[] pe, byte[] pdb)
    {
        var module = ModuleMetadata.CreateFromImage(pe);
        var pdbProvider = MetadataReaderProvider.FromPortablePdbImage(ImmutableArray.Create(pdb));
        var pdbReader = pdbProvider.GetMetadataReader();
        var peReader = new PEReader(ImmutableArray.Create(pe));
        var md = peReader.GetMetadataReader();
        return EmitBaseline.CreateInitialBaseline(
            c, module,
            h => EditAndContinueMethodDebugInformation.Create(
                Cdi(pdbReader, h, new Guid("755F52A8-91C5-45BE-B4B8-209571E552BD")),  // EncLocalSlotMap
                Cdi(pdbReader, h, new Guid("A643004C-0240-496F-A783-30D64F4979DE")),  // EncLambdaAndClosureMap
                Cdi(pdbReader, h, new Guid("8B78CD68-2EDE-420B-980B-E15884B8AAA3"))), // EncStateMachineStateMap
            h =>
            {
                var rva = md.GetMethodDefinition(h).RelativeVirtualAddress;
                return rva == 0 ? default : peReader.GetMethodBody(rva).LocalSignature;
            },
            hasPortableDebugInformation: true);
    }

    static ImmutableArray<byte> Cdi(MetadataReader pdb, MethodDefinitionHandle h, Guid kind)
    {
        foreach (var ch in pdb.GetCustomDebugInformation(h))
        {
            var cdi = pdb.GetCustomDebugInformation(ch);
            if (pdb.GetGuid(cdi.Kind) == kind)
            {
                return pdb.GetBlobBytes(cdi.Value).ToImmutableArray();
            }
        }

        return default;
    }

    /// <summary>CPU time (all threads of the process) of the last <see cref="Ms"/>: less distorted than wall time on a shared, loaded machine.</summary>
    public static double LastCpu;

    public static double Ms(Action a)
    {
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        a();
        LastCpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds;
        return sw.Elapsed.TotalMilliseconds;
    }

    public static string Stats(IEnumerable<double> xs)
    {
        var a = xs.OrderBy(x => x).ToArray();
        return $"median {a[a.Length / 2],7:0.0} ms (min {a[0]:0.0}, max {a[^1]:0.0}, n={a.Length})";
    }
}
