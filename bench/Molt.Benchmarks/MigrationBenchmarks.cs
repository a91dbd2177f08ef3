using System.Reflection;
using System.Runtime.Loader;
using BenchmarkDotNet.Attributes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Molt.State;

namespace Molt.Benchmarks;

/// <summary>
/// Migrating persistent state between two generations of a module type: a list of small objects
/// (an int, a string, an auto-property) staged and committed, as a reload does it.
/// </summary>
public class MigrationBenchmarks
{
    private const string Source = """
        namespace Bench;
        public sealed class Cell { public int X; public string Name = ""; public double Weight { get; set; } }
        public static class Factory
        {
            public static System.Collections.Generic.List<Cell> Make(int count)
            {
                var cells = new System.Collections.Generic.List<Cell>(count);
                for (var i = 0; i < count; i++) cells.Add(new Cell { X = i, Name = "n", Weight = i / 2.0 });
                return cells;
            }
        }
        """;

    private Assembly _old = null!;
    private Assembly _new = null!;
    private StateStore _store = null!;

    [Params(10_000, 1_000_000)]
    public int Count { get; set; }

    [GlobalSetup]
    public void Compile()
    {
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator)
            .Select(p => MetadataReference.CreateFromFile(p));
        var compilation = CSharpCompilation.Create("Bench", [CSharpSyntaxTree.ParseText(Source)], references, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, optimizationLevel: OptimizationLevel.Release));
        using var image = new MemoryStream();
        var result = compilation.Emit(image);
        if (!result.Success)
        {
            throw new InvalidOperationException(string.Join(Environment.NewLine, result.Diagnostics));
        }

        // Two generations of the same source: the same type names, different types.
        _old = Load(image.ToArray(), "old");
        _new = Load(image.ToArray(), "new");
    }

    [IterationSetup]
    public void Fill()
    {
        _store = new StateStore();
        var cells = _old.GetType("Bench.Factory")!.GetMethod("Make")!.Invoke(null, [Count]);
        _store.GetOrCreate("bench", "cells", () => cells, MigrationFailurePolicy.FailReload);
    }

    [Benchmark]
    public int StageAndCommit()
    {
        using var transaction = _store.BeginMigration(t => t.Assembly == _old, name => _new.GetType(name), CustomMigrationSet.Empty);
        var report = transaction.Commit();
        return report.Succeeded ? report.Slots.Count : throw new InvalidOperationException(report.ToString());
    }

    [IterationCleanup]
    public void Empty() => _store.Dispose();

    private static Assembly Load(byte[] image, string name)
    {
        using var stream = new MemoryStream(image);
        return new AssemblyLoadContext(name, isCollectible: true).LoadFromStream(stream);
    }
}
