using System.Diagnostics;
using System.Text.Json.Nodes;
using Molt.Harness.Infrastructure;

namespace Molt.Harness.Items;

/// <summary>
/// Item 2: reload latency, file write to first call returning the new behaviour, measured from
/// outside the engine. Triggered through the API (<c>ReloadAsync</c>, what a watcher calls) and
/// through a file watcher.
/// </summary>
internal static class LatencyItem
{
    private const int WarmUpEdits = 3;

    public static async Task<JsonObject> RunAsync(Options options)
    {
        var edits = options.Int("--edits", quick: 30, full: 200);
        var bigEdits = options.Int("--big-edits", quick: 10, full: 40);
        var rows = new JsonArray();
        var json = new JsonObject { ["item"] = "latency", ["edits"] = edits, ["big_edits"] = bigEdits };

        var parts = (options.Get("--parts") ?? "a,b,c,d,e").Split(',');
        var label = options.Get("--label") is { } text ? $" [{text}]" : string.Empty;
        // Edits made before the single-file figures are counted: a large number shows the steady
        // state of a long session, once the JIT has tiered the compiler up.
        var warmUp = options.Int("--warm-up", quick: WarmUpEdits, full: WarmUpEdits);
        json["warm_up_edits"] = warmUp;
        if (parts.Contains("a"))
        {
            json["a_body"] = await SmallAsync(edits, warmUp, SmallModule.Body, "2a", "single-file module, body edit" + label, rows);
        }

        if (parts.Contains("c"))
        {
            json["c_structural"] = await SmallAsync(edits, warmUp, SmallModule.Structural, "2c", "single-file module, structural edit (new type, new field, changed signature)" + label, rows);
        }

        if (parts.Contains("b"))
        {
            json["b_first_edit"] = await FirstEditItem.RunManyAsync(options.Int("--first-runs", quick: 5, full: 15), label, rows);
        }

        if (parts.Contains("d"))
        {
            json["d_one_module"] = await OneModuleAsync(bigEdits, rows);
        }

        if (parts.Contains("e"))
        {
            json["e_split"] = await SplitAsync(options.Int("--split-edits", quick: 20, full: 100), rows);
        }
        json["rows"] = rows;
        return json;
    }

    private static async Task<JsonObject> SmallAsync(int edits, int warmUp, Func<int, string> source, string item, string what, JsonArray rows)
    {
        using var dir = new TempDirectory("latency");
        dir.Write("calc.cs", source(1));
        await using var engine = await Engines.StartAsync(dir.Root);
        var value = engine.GetEntryPoint<Func<int>>("calc", "Value");
        var version = 1;

        var api = new List<double>();
        var results = new List<ReloadResult>();
        for (var i = 0; i < warmUp + edits; i++)
        {
            var next = ++version;
            var (ms, result) = await EditTimer.ApiAsync(engine, () => dir.Write("calc.cs", source(next)), () => value.Current() == next);
            if (i >= warmUp)
            {
                api.Add(ms);
                results.Add(result);
            }
        }

        var watched = new List<double>();
        using (var watcher = new FileWatcherTrigger(engine, dir.Root))
        {
            for (var i = 0; i < warmUp + edits; i++)
            {
                var next = ++version;
                var ms = await EditTimer.WatchedAsync(watcher, () => dir.Write("calc.cs", source(next)), () => value.Current() == next);
                if (i >= warmUp)
                {
                    watched.Add(ms);
                }
            }
        }

        var apiStats = new Stats(api);
        var watchStats = new Stats(watched);
        Console.Error.WriteLine($"{item} {what}: api {apiStats}; watcher {watchStats}");
        rows.Add(Row.Of(item, what + $" — API trigger, warm ({warmUp} edits before)", Ms(apiStats), "median ≤ 10 ms", apiStats.Median <= 10));
        rows.Add(Row.Of(item, what + $" — file-watcher trigger, warm ({warmUp} edits before)", Ms(watchStats), "median ≤ 10 ms", watchStats.Median <= 10));
        return new JsonObject { ["api"] = apiStats.ToJson(), ["watcher"] = watchStats.ToJson(), ["engine_phases_api"] = Engines.PhaseMedians(results) };
    }

    private static async Task<JsonObject> OneModuleAsync(int edits, JsonArray rows)
    {
        using var dir = new TempDirectory("one-module");
        var folder = ProgramGenerator.WriteFolderModule(dir.Root);
        var files = Directory.GetFiles(folder, "*.cs").Order(StringComparer.Ordinal).ToArray();
        var lines = files.Sum(f => File.ReadAllLines(f).Length);
        await using var engine = await Engines.StartAsync(dir.Root);
        const int Edited = 17;
        var value = engine.GetEntryPoint<Func<int>>("app", ProgramGenerator.Export(Edited));
        var path = Path.Combine(folder, ProgramGenerator.Name(Edited) + ".cs");
        var version = 1;

        var bare = new BareCompiler();
        var parseCompileEmit = new List<double>();
        var compileEmit = new List<double>();
        var compileEmitPdb = new List<double>();
        var molt = new List<double>();
        var results = new List<ReloadResult>();

        // Interleaved, so the engine and the baseline see the same machine load.
        for (var i = 0; i < WarmUpEdits + edits; i++)
        {
            var next = ++version;
            var (ms, result) = await EditTimer.ApiAsync(engine, () => File.WriteAllText(path, ProgramGenerator.Source(Edited, next, split: false)), () => value.Current() == next);
            var t0 = Stopwatch.GetTimestamp();
            bare.ParseCompileEmit(files);
            var t1 = Stopwatch.GetTimestamp();
            var trees = bare.Parse(files);
            var t2 = Stopwatch.GetTimestamp();
            bare.Emit(trees, pdb: false);
            var t3 = Stopwatch.GetTimestamp();
            bare.Emit(trees, pdb: true);
            var t4 = Stopwatch.GetTimestamp();
            if (i >= WarmUpEdits)
            {
                molt.Add(ms);
                results.Add(result);
                parseCompileEmit.Add(Stopwatch.GetElapsedTime(t0, t1).TotalMilliseconds);
                compileEmit.Add(Stopwatch.GetElapsedTime(t2, t3).TotalMilliseconds);
                compileEmitPdb.Add(Stopwatch.GetElapsedTime(t3, t4).TotalMilliseconds);
            }
        }

        var moltStats = new Stats(molt);
        var baseline = new Stats(parseCompileEmit);
        var strict = new Stats(compileEmit);
        var ratio = moltStats.Median / baseline.Median;
        var strictRatio = moltStats.Median / strict.Median;
        Console.Error.WriteLine($"2d one module ({files.Length} files, {lines} lines): molt {moltStats}; bare parse+compile+emit {baseline}; bare compile+emit {strict}; ratio {ratio:0.00} / {strictRatio:0.00}");
        rows.Add(Row.Of("2d", $"{lines}-line program as one module ({files.Length} files), one file changed — Molt (API trigger)", Ms(moltStats)));
        rows.Add(Row.Of("2d", "bare Roslyn parse + compile + emit (PE) of the same files, same references, warm, same run", Ms(baseline)));
        rows.Add(Row.Of("2d", "bare Roslyn compile + emit (PE) of already parsed trees", Ms(strict)));
        rows.Add(Row.Of("2d", "bare Roslyn compile + emit (PE + portable PDB, as the engine emits) of parsed trees", Ms(new Stats(compileEmitPdb))));
        rows.Add(Row.Of("2d", "ratio Molt / bare parse+compile+emit (medians)", $"{ratio:0.00}×", "≤ 1.1×", ratio <= 1.1));
        rows.Add(Row.Of("2d", "ratio Molt / bare compile+emit of parsed trees (medians)", $"{strictRatio:0.00}×", "≤ 1.1×", strictRatio <= 1.1));
        return new JsonObject
        {
            ["files"] = files.Length,
            ["lines"] = lines,
            ["references"] = bare.ReferenceCount,
            ["molt_api"] = moltStats.ToJson(),
            ["engine_phases"] = Engines.PhaseMedians(results),
            ["bare_parse_compile_emit"] = baseline.ToJson(),
            ["bare_compile_emit"] = strict.ToJson(),
            ["bare_compile_emit_pdb"] = new Stats(compileEmitPdb).ToJson(),
            ["ratio_vs_parse_compile_emit"] = Math.Round(ratio, 3),
            ["ratio_vs_compile_emit"] = Math.Round(strictRatio, 3),
        };
    }

    private static async Task<JsonObject> SplitAsync(int edits, JsonArray rows)
    {
        using var dir = new TempDirectory("split");
        ProgramGenerator.WriteSplitModules(dir.Root);
        await using var engine = await Engines.StartAsync(dir.Root);
        var json = new JsonObject
        {
            ["modules"] = ProgramGenerator.FileCount,
            ["shape"] = $"{ProgramGenerator.Name(0)} (core) <- {ProgramGenerator.Name(1)}..{ProgramGenerator.Name(ProgramGenerator.ServiceCount)} (services, each on the core) <- the other {ProgramGenerator.FileCount - 1 - ProgramGenerator.ServiceCount} (features, each on the core and one service)",
        };

        var leaf = 17;
        var service = ProgramGenerator.ServiceOf(leaf);
        foreach (var (index, kind, count, api) in new[]
        {
            (leaf, "leaf (feature) module", edits, false),
            (service, "service module", Math.Max(3, edits / 4), false),
            (0, "core module", Math.Max(3, edits / 4), false),
            (0, "core module that changes its API (a public constant)", Math.Max(3, edits / 4), true),
        })
        {
            var value = engine.GetEntryPoint<Func<int>>(ProgramGenerator.Name(index), ProgramGenerator.Export(index));
            var path = Path.Combine(dir.Root, ProgramGenerator.Name(index) + ".cs");
            var version = 1;
            var molt = new List<double>();
            var results = new List<ReloadResult>();
            for (var i = 0; i < WarmUpEdits + count; i++)
            {
                var next = ++version;
                var (ms, result) = await EditTimer.ApiAsync(engine, () => File.WriteAllText(path, ProgramGenerator.Source(index, next, split: true, apiChange: api)), () => value.Current() == next);
                if (i >= WarmUpEdits)
                {
                    molt.Add(ms);
                    results.Add(result);
                }
            }

            var stats = new Stats(molt);
            var reloaded = results[^1].Changes.Count;
            var recompiled = results[^1].Changes.Count(c => !c.ReusedImage && !c.FromCache);
            Console.Error.WriteLine($"2e split, edit of the {kind} {ProgramGenerator.Name(index)}: {stats}; modules reloaded: {reloaded}");
            var isLeaf = index == leaf;
            rows.Add(Row.Of("2e", $"program split into {ProgramGenerator.FileCount} modules, edit of a {kind} ({reloaded} module(s) reloaded, {recompiled} compiled)", Ms(stats),
                isLeaf ? "median ≤ 30 ms" : string.Empty, isLeaf ? stats.Median <= 30 : null));
            json[ProgramGenerator.Name(index) + (api ? "_api" : string.Empty)] = new JsonObject
            {
                ["kind"] = kind,
                ["modules_reloaded"] = reloaded,
                ["modules_compiled"] = recompiled,
                ["molt_api"] = stats.ToJson(),
                ["engine_phases"] = Engines.PhaseMedians(results),
            };
        }

        return json;
    }

    internal static string Ms(Stats stats) => $"median {stats.Median:0.0} ms, p90 {stats.P90:0.0} ms, max {stats.Max:0.0} ms (n={stats.Count})";
}
