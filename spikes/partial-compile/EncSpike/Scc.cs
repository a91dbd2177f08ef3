using System.Diagnostics;
using Microsoft.CodeAnalysis;
using Molt.Harness.Infrastructure;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace EncSpike;

/// <summary>Design 3: the file reference graph of a folder module and its strongly connected components.</summary>
internal static class Scc
{
    public static void Run(int files) => Analyze(Common.Program(files, OptimizationLevel.Release), $"generated program, {files} files");

    /// <summary>Any folder of .cs files (e.g. the repo's own src/Molt), bound against the framework only (package types stay unresolved).</summary>
    public static void RunDir(string dir)
    {
        var trees = Directory.EnumerateFiles(dir, "*.cs", SearchOption.AllDirectories)
            .Where(p => !p.Contains("/obj/") && !p.Contains("/bin/"))
            .Select(p => Common.Tree(File.ReadAllText(p), p)).ToList();
        trees.Add(Common.ImplicitUsings);
        Analyze(CSharpCompilation.Create("dir", trees, Common.Refs, Common.Options(OptimizationLevel.Release)), dir);
    }

    static void Analyze(Compilation c, string what)
    {
        var sw = Stopwatch.StartNew();
        var trees = c.SyntaxTrees.Where(t => !t.FilePath.EndsWith(".g.cs")).ToList();
        var index = trees.Select((t, i) => (t, i)).ToDictionary(x => x.t, x => x.i);
        var edges = trees.Select(_ => new HashSet<int>()).ToArray();
        Parallel.For(0, trees.Count, i =>
        {
            var model = c.GetSemanticModel(trees[i]);
            foreach (var node in trees[i].GetRoot().DescendantNodes())
            {
                if (node is not (SimpleNameSyntax or BaseObjectCreationExpressionSyntax or InitializerExpressionSyntax or CollectionExpressionSyntax)) continue;
                var info = model.GetSymbolInfo(node);
                foreach (var s in info.Symbol is { } one ? [one] : info.CandidateSymbols)
                {
                    for (var type = s as INamedTypeSymbol ?? s.ContainingType; type is not null; type = type.ContainingType)
                    {
                        foreach (var r in type.OriginalDefinition.DeclaringSyntaxReferences)
                        {
                            if (index.TryGetValue(r.SyntaxTree, out var j) && j != i)
                            {
                                lock (edges[i]) edges[i].Add(j);
                            }
                        }
                    }
                }
            }
        });
        var bind = sw.ElapsedMilliseconds;
        var sccs = Tarjan(edges);
        var sizes = sccs.Select(s => s.Count).OrderByDescending(x => x).ToList();
        var lines = trees.Sum(t => t.GetText().Lines.Count);
        Console.WriteLine($"{what}: {trees.Count} files, {lines} lines, {edges.Sum(e => e.Count)} file->file edges; graph built in {bind} ms (binds every body), SCCs in {sw.ElapsedMilliseconds - bind} ms");
        Console.WriteLine($"  {sccs.Count} SCCs; largest: {string.Join(", ", sizes.Take(8))}; singletons: {sizes.Count(x => x == 1)}");
        var largest = sccs.OrderByDescending(s => s.Count).First();
        var largestLines = largest.Sum(i => trees[i].GetText().Lines.Count);
        Console.WriteLine($"  largest SCC holds {largest.Count} files / {largestLines} lines ({100.0 * largestLines / lines:0}% of the module): {string.Join(" ", largest.Take(12).Select(i => Path.GetFileName(trees[i].FilePath)))}{(largest.Count > 12 ? " ..." : "")}");
        // What recompiling the SCC containing a file + everything that (transitively) depends on it costs, if its API changed.
        var reverse = trees.Select(_ => new List<int>()).ToArray();
        for (var i = 0; i < edges.Length; i++) foreach (var j in edges[i]) reverse[j].Add(i);
        var dependents = Enumerable.Range(0, trees.Count).Select(i => Reach(reverse, i)).ToList();
        Console.WriteLine($"  transitive dependents per file (recompiled on an API change): median {dependents.OrderBy(x => x).ElementAt(dependents.Count / 2)}, max {dependents.Max()} of {trees.Count}");
    }

    static int Reach(List<int>[] g, int start)
    {
        var seen = new HashSet<int> { start };
        var stack = new Stack<int>([start]);
        while (stack.Count > 0) foreach (var n in g[stack.Pop()]) if (seen.Add(n)) stack.Push(n);
        return seen.Count - 1;
    }

    static List<List<int>> Tarjan(HashSet<int>[] g)
    {
        int n = g.Length, counter = 0;
        var idx = Enumerable.Repeat(-1, n).ToArray();
        var low = new int[n];
        var on = new bool[n];
        var stack = new Stack<int>();
        var result = new List<List<int>>();
        void Visit(int v)
        {
            idx[v] = low[v] = counter++;
            stack.Push(v);
            on[v] = true;
            foreach (var w in g[v])
            {
                if (idx[w] < 0) { Visit(w); low[v] = Math.Min(low[v], low[w]); }
                else if (on[w]) low[v] = Math.Min(low[v], idx[w]);
            }
            if (low[v] != idx[v]) return;
            var scc = new List<int>();
            int x;
            do { x = stack.Pop(); on[x] = false; scc.Add(x); } while (x != v);
            result.Add(scc);
        }
        for (var v = 0; v < n; v++) if (idx[v] < 0) Visit(v);
        return result;
    }
}

/// <summary>Design 3's cost for a body edit: recompile only the edited file's unit against the other units' images.</summary>
internal static class Unit
{
    public static void Run()
    {
        Microsoft.CodeAnalysis.MetadataReference Build(string name, int file, params Microsoft.CodeAnalysis.MetadataReference[] refs)
        {
            var c = Microsoft.CodeAnalysis.CSharp.CSharpCompilation.Create(name,
                [Common.Tree(ProgramGenerator.Source(file, 1, split: false), $"/app/{ProgramGenerator.Name(file)}.cs"), Common.MoltStubs, Common.ImplicitUsings],
                Common.Refs.AddRange(refs), Common.Options(Microsoft.CodeAnalysis.OptimizationLevel.Release));
            return Microsoft.CodeAnalysis.MetadataReference.CreateFromImage(Common.Emit(c).Pe);
        }

        // Each unit would carry its own copy of the Molt stubs in this spike; alias-free because they are only used, not exchanged.
        var core = Build("u00", 0);
        var service = Build("u03", ProgramGenerator.ServiceOf(7), core);
        var times = new List<double>();
        var cpu = new List<double>();
        var baseText = ProgramGenerator.Source(7, 1, split: false);
        Microsoft.CodeAnalysis.Compilation prev = null;
        for (var i = 0; i < 10; i++)
        {
            var tree = Common.Tree(baseText.Replace("return n + ", $"return {i} + n + "), "/app/m07.cs");
            var c = prev is null
                ? Microsoft.CodeAnalysis.CSharp.CSharpCompilation.Create("u07", [tree, Common.MoltStubs, Common.ImplicitUsings], Common.Refs.AddRange(new[] { core, service }), Common.Options(Microsoft.CodeAnalysis.OptimizationLevel.Release))
                : prev.ReplaceSyntaxTree(prev.SyntaxTrees.First(), tree);
            var ms = Common.Ms(() => Common.Emit(c));
            prev = c;
            if (i >= 4) { times.Add(ms); cpu.Add(Common.LastCpu); }
        }

        Console.WriteLine($"unit = 1 file (m07, ~120 lines) against 2 unit images, body edit, full Emit of the unit: wall {Common.Stats(times)}; cpu {Common.Stats(cpu)}");
    }
}
