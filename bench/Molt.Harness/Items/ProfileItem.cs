using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.CodeAnalysis.CSharp;
using Molt.Harness.Infrastructure;

namespace Molt.Harness.Items;

/// <summary>
/// Where a reload's time goes: the engine's own phase timings next to bare Roslyn steps on the
/// same sources in the same process (parse; a fresh compilation + emit; the previous compilation
/// with one tree replaced + emit, which is what the engine does; the same with a PDB; and
/// <c>GetDiagnostics</c> alone, which binds every method body but emits nothing).
/// </summary>
internal static class ProfileItem
{
    private static readonly HashSet<string> s_minimal = new(StringComparer.OrdinalIgnoreCase)
    {
        "System.Private.CoreLib", "System.Runtime", "System.Linq", "System.Collections", "System.Net.Http", "System.Console", "Molt.Abstractions", "Molt",
    };

    public static async Task<JsonObject> RunAsync(Options options)
    {
        var iterations = options.Int("--iterations", quick: 15, full: 50);
        var rows = new JsonArray();
        var json = new JsonObject { ["item"] = "profile", ["iterations"] = iterations };

        using (var dir = new TempDirectory("profile-small"))
        {
            var path = dir.Write("calc.cs", SmallModule.Body(1));
            json["small"] = await ProfileAsync("small module (body edit)", dir.Root, "calc", "Value", [path], path, v => SmallModule.Body(v), iterations, rows);
        }

        using (var dir = new TempDirectory("profile-big"))
        {
            var folder = ProgramGenerator.WriteFolderModule(dir.Root);
            var files = Directory.GetFiles(folder, "*.cs").Order(StringComparer.Ordinal).ToArray();
            var edited = Path.Combine(folder, ProgramGenerator.Name(17) + ".cs");
            json["one_module"] = await ProfileAsync("5,500-line one-module program (one file edited)", dir.Root, "app", ProgramGenerator.Export(17), files, edited,
                v => ProgramGenerator.Source(17, v, split: false), Math.Max(5, iterations / 3), rows);
        }

        json["rows"] = rows;
        return json;
    }

    private static async Task<JsonObject> ProfileAsync(
        string what, string root, string module, string export, string[] files, string edited, Func<int, string> source, int iterations, JsonArray rows)
    {
        await using var engine = await Engines.StartAsync(root);
        var value = engine.GetEntryPoint<Func<int>>(module, export);
        var bare = new BareCompiler();
        var steps = new Dictionary<string, List<double>>
        {
            ["engine reload (Timings.Total)"] = [],
            ["engine compile phase"] = [],
            ["parse the edited file"] = [],
            ["fresh compilation + emit PE"] = [],
            ["previous compilation, tree replaced + emit PE"] = [],
            ["previous compilation, tree replaced + emit PE + PDB"] = [],
            ["previous compilation, tree replaced + GetDiagnostics (bind only)"] = [],
            ["fresh compilation with only the used references + emit PE"] = [],
            ["fresh compilation with 8 references (CoreLib, System.Runtime, Linq, Collections, Net.Http, Console, Molt.Abstractions, Molt) + emit PE"] = [],
        };
        var cpuSteps = new Dictionary<string, List<double>>
        {
            ["engine reload: process CPU time"] = [],
            ["parse the edited file + fresh compilation + emit PE: process CPU time"] = [],
            ["previous compilation, tree replaced + emit PE + PDB: process CPU time"] = [],
        };
        var minimal = bare.References.Where(r => s_minimal.Contains(Path.GetFileNameWithoutExtension(r.Display ?? string.Empty))).ToArray();

        var trees = bare.Parse(files).ToList();
        var index = Array.IndexOf(files, edited);
        var previous = CSharpCompilation.Create("Profile", trees, bare.References, bare.CompilationOptions);
        var version = 1;
        var usedCount = 0;
        for (var i = 0; i < iterations + 3; i++)
        {
            var next = ++version;
            File.WriteAllText(edited, source(next));
            var cpu0 = Cpu();
            var result = await engine.ReloadAsync();
            var cpu1 = Cpu();
            if (!result.Succeeded || value.Current() != next)
            {
                throw new InvalidOperationException($"profile reload failed: {result.Error}");
            }

            var c0 = Cpu();

            var t0 = Stopwatch.GetTimestamp();
            var tree = bare.Parse([edited])[0];
            var t1 = Stopwatch.GetTimestamp();
            var all = trees.ToArray();
            all[index] = tree;
            bare.Emit(all, pdb: false);
            var t2 = Stopwatch.GetTimestamp();
            var c2 = Cpu();
            var replaced = previous.ReplaceSyntaxTree(previous.SyntaxTrees.ElementAt(index), tree);
            Emit(replaced, pdb: false);
            var t3 = Stopwatch.GetTimestamp();
            var c3 = Cpu();
            Emit(replaced, pdb: true);
            var t4 = Stopwatch.GetTimestamp();
            var c4 = Cpu();
            _ = previous.ReplaceSyntaxTree(previous.SyntaxTrees.ElementAt(index), tree).GetDiagnostics();
            var t5 = Stopwatch.GetTimestamp();
            var used = replaced.GetUsedAssemblyReferences();
            var t6 = Stopwatch.GetTimestamp();
            Emit(CSharpCompilation.Create("Trimmed", all, used, bare.CompilationOptions), pdb: false);
            var t7 = Stopwatch.GetTimestamp();
            Emit(CSharpCompilation.Create("Minimal", all, minimal, bare.CompilationOptions), pdb: false);
            var t8 = Stopwatch.GetTimestamp();
            previous = replaced;
            trees[index] = tree;
            if (i >= 3)
            {
                steps["engine reload (Timings.Total)"].Add(result.Timings.Total.TotalMilliseconds);
                cpuSteps["engine reload: process CPU time"].Add((cpu1 - cpu0).TotalMilliseconds);
                cpuSteps["parse the edited file + fresh compilation + emit PE: process CPU time"].Add((c2 - c0).TotalMilliseconds);
                cpuSteps["previous compilation, tree replaced + emit PE + PDB: process CPU time"].Add((c4 - c3).TotalMilliseconds);
                steps["engine compile phase"].Add(result.Timings.Compile.TotalMilliseconds);
                steps["parse the edited file"].Add(Stopwatch.GetElapsedTime(t0, t1).TotalMilliseconds);
                steps["fresh compilation + emit PE"].Add(Stopwatch.GetElapsedTime(t1, t2).TotalMilliseconds);
                steps["previous compilation, tree replaced + emit PE"].Add(Stopwatch.GetElapsedTime(t2, t3).TotalMilliseconds);
                steps["previous compilation, tree replaced + emit PE + PDB"].Add(Stopwatch.GetElapsedTime(t3, t4).TotalMilliseconds);
                steps["previous compilation, tree replaced + GetDiagnostics (bind only)"].Add(Stopwatch.GetElapsedTime(t4, t5).TotalMilliseconds);
                steps["fresh compilation with only the used references + emit PE"].Add(Stopwatch.GetElapsedTime(t6, t7).TotalMilliseconds);
                steps["fresh compilation with 8 references (CoreLib, System.Runtime, Linq, Collections, Net.Http, Console, Molt.Abstractions, Molt) + emit PE"].Add(Stopwatch.GetElapsedTime(t7, t8).TotalMilliseconds);
                usedCount = used.Length;
            }
        }

        var json = new JsonObject { ["references"] = bare.ReferenceCount, ["used_references"] = usedCount };
        rows.Add(Row.Of("profile", $"{what}: references given to the compiler / actually used", $"{bare.ReferenceCount} / {usedCount}"));
        foreach (var (step, times) in steps.Concat(cpuSteps))
        {
            var stats = new Stats(times);
            json[step] = stats.ToJson();
            rows.Add(Row.Of("profile", $"{what}: {step}", LatencyItem.Ms(stats)));
            Console.Error.WriteLine($"profile {what}: {step}: {stats}");
        }

        return json;
    }

    private static TimeSpan Cpu()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime;
    }

    private static void Emit(CSharpCompilation compilation, bool pdb)
    {
        using var pe = new MemoryStream();
        using var symbols = pdb ? new MemoryStream() : null;
        var result = compilation.Emit(pe, symbols, options: pdb ? new Microsoft.CodeAnalysis.Emit.EmitOptions(debugInformationFormat: Microsoft.CodeAnalysis.Emit.DebugInformationFormat.PortablePdb) : null);
        if (!result.Success)
        {
            throw new InvalidOperationException("profile compile failed");
        }
    }
}
