using System.Diagnostics;
using System.Reflection;
using System.Reflection.Metadata;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Emit;

namespace EncSpike;

/// <summary>Design 1: MetadataUpdater.ApplyUpdate on assemblies loaded like Molt's generations; steady-state speed.</summary>
internal static class HotReload
{
    const string V1 = """
        using System.Linq;
        public static class C
        {
            public static int F() => 1;
            static int Step(int a, int b) => (a * 31) ^ b;
            public static long Loop(int[] xs, int rounds)
            {
                long s = 0;
                for (var r = 0; r < rounds; r++)
                    for (var i = 0; i < xs.Length; i++)
                        s += Step(xs[i], r);
                return s;
            }
            public static long Linq(int n) => System.Linq.Enumerable.Range(0, n).Where(x => x % 3 == 0).Select(x => (long)x * 2).Sum();
        }
        """;

    public static void Run()
    {
        Console.WriteLine($"DOTNET_MODIFIABLE_ASSEMBLIES={Environment.GetEnvironmentVariable("DOTNET_MODIFIABLE_ASSEMBLIES") ?? "(unset)"}  MetadataUpdater.IsSupported={MetadataUpdater.IsSupported}");
        var n = 0;
        foreach (var level in new[] { OptimizationLevel.Debug, OptimizationLevel.Release })
        {
            foreach (var (ctx, how) in new[] { ("collectible", "stream"), ("collectible", "path"), ("non-collectible", "stream"), ("non-collectible", "path") })
            {
                var weak = Try(level, ctx, how, n++);
                if (weak is not null)
                {
                    for (var i = 0; i < 20 && weak.IsAlive; i++) { GC.Collect(); GC.WaitForPendingFinalizers(); }
                    Console.WriteLine($"      after Unload + 20 GCs: context {(weak.IsAlive ? "STILL ALIVE" : "collected")}");
                }
            }
        }

        Console.WriteLine();
        Console.WriteLine("Steady-state speed (Loop: 20,000 x 10,000 calls of a small helper; Linq: Range(0,10M).Where.Select.Sum), best of 5 after warm-up:");
        foreach (var level in new[] { OptimizationLevel.Release, OptimizationLevel.Debug })
        {
            Speed(level, n++, applyUpdate: false);
        }

        if (MetadataUpdater.IsSupported)
        {
            Speed(OptimizationLevel.Debug, n++, applyUpdate: true);
        }
    }

    static (Compilation C, byte[] Pe, byte[] Pdb) Compile(string name, OptimizationLevel level, string text)
    {
        var c = Microsoft.CodeAnalysis.CSharp.CSharpCompilation.Create(name, [Common.Tree(text, "/hr/c.cs")], Common.Refs, Common.Options(level));
        var (pe, pdb) = Common.Emit(c);
        return (c, pe, pdb);
    }

    static EmitDifferenceResult Delta(Compilation c0, byte[] pe, byte[] pdb, string newText, string method, out byte[] md, out byte[] il, out byte[] dpdb)
    {
        var old = c0.SyntaxTrees.Single();
        var c1 = c0.ReplaceSyntaxTree(old, Common.Tree(newText, old.FilePath));
        var m0 = c0.GetTypeByMetadataName("C")!.GetMembers(method).Single();
        var m1 = c1.GetTypeByMetadataName("C")!.GetMembers(method).Single();
        using var mds = new MemoryStream();
        using var ils = new MemoryStream();
        using var pdbs = new MemoryStream();
        var r = c1.EmitDifference(Common.Baseline(c0, pe, pdb), [new SemanticEdit(SemanticEditKind.Update, m0, m1)], _ => false, mds, ils, pdbs);
        md = mds.ToArray();
        il = ils.ToArray();
        dpdb = pdbs.ToArray();
        return r;
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    static WeakReference Try(OptimizationLevel level, string ctx, string how, int n)
    {
        var name = $"Hr{n}";
        var (c0, pe, pdb) = Compile(name, level, V1);
        var alc = new AssemblyLoadContext(name, isCollectible: ctx == "collectible");
        Assembly asm;
        if (how == "path")
        {
            var dir = Path.Combine(Path.GetTempPath(), "encspike");
            Directory.CreateDirectory(dir);
            var path = Path.Combine(dir, name + ".dll");
            File.WriteAllBytes(path, pe);
            File.WriteAllBytes(Path.ChangeExtension(path, ".pdb"), pdb);
            asm = alc.LoadFromAssemblyPath(path);
        }
        else
        {
            asm = alc.LoadFromStream(new MemoryStream(pe), new MemoryStream(pdb));
        }

        var f = asm.GetType("C")!.GetMethod("F")!;
        var before = (int)f.Invoke(null, null)!;
        var r = Delta(c0, pe, pdb, V1.Replace("F() => 1", "F() => 2"), "F", out var md, out var il, out var dpdb);
        string outcome;
        try
        {
            MetadataUpdater.ApplyUpdate(asm, md, il, dpdb);
            outcome = $"applied, F() now {(int)f.Invoke(null, null)!}";
        }
        catch (Exception ex)
        {
            outcome = $"{ex.GetType().Name}: {ex.Message}";
        }

        Console.WriteLine($"  {level,-7} {ctx,-15} load-from-{how,-6} delta ok={r.Success} F() before={before} -> {outcome}");
        if (!alc.IsCollectible) return null;
        alc.Unload();
        return new WeakReference(alc);
    }

    static void Speed(OptimizationLevel level, int n, bool applyUpdate)
    {
        var name = $"Sp{n}";
        var (c0, pe, pdb) = Compile(name, level, V1);
        var alc = new AssemblyLoadContext(name, isCollectible: true);
        var asm = alc.LoadFromStream(new MemoryStream(pe), new MemoryStream(pdb));
        var t = asm.GetType("C")!;
        if (applyUpdate)
        {
            // Edit Loop's body (same semantics) so that the running code is the updated method.
            Delta(c0, pe, pdb, V1.Replace("long s = 0;", "long s = 0; s += 0;"), "Loop", out var md, out var il, out var dpdb);
            MetadataUpdater.ApplyUpdate(asm, md, il, dpdb);
        }

        var loop = t.GetMethod("Loop")!.CreateDelegate<Func<int[], int, long>>();
        var linq = t.GetMethod("Linq")!.CreateDelegate<Func<int, long>>();
        var xs = Enumerable.Range(0, 10_000).ToArray();
        for (var i = 0; i < 3; i++)
        {
            loop(xs, 2000);
            linq(1_000_000);
            Thread.Sleep(200); // let tiering promote
        }

        double best = double.MaxValue, bestLinq = double.MaxValue;
        for (var i = 0; i < 5; i++)
        {
            var sw = Stopwatch.StartNew();
            loop(xs, 20_000);
            best = Math.Min(best, sw.Elapsed.TotalMilliseconds);
            sw.Restart();
            linq(10_000_000);
            bestLinq = Math.Min(bestLinq, sw.Elapsed.TotalMilliseconds);
        }

        Console.WriteLine($"  {level,-7} collectible {(applyUpdate ? "after ApplyUpdate" : ""),-18} Loop {best,7:0.0} ms   Linq {bestLinq,7:0.0} ms");
    }
}
