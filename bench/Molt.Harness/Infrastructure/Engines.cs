using System.Text.Json.Nodes;

namespace Molt.Harness.Infrastructure;

/// <summary>Engines on a directory, and summaries of their reload timings.</summary>
internal static class Engines
{
    public static async Task<MoltEngine> StartAsync(string root, Action<MoltOptions>? configure = null)
    {
        var options = new MoltOptions();
        options.ModuleDirectories.Add(root);
        UseCompileServer(options);
        configure?.Invoke(options);
        var engine = new MoltEngine(options);
        await engine.StartAsync();
        return engine;
    }

    /// <summary>
    /// The compile server for the runs that measure it: <c>MOLT_BENCH_COMPILE_SERVER=auto</c> turns
    /// it on (children inherit it); <c>MOLT_COMPILE_SERVER</c> names the program (read by the engine).
    /// </summary>
    public static void UseCompileServer(MoltOptions options)
    {
        if (Environment.GetEnvironmentVariable("MOLT_BENCH_COMPILE_SERVER") is "auto")
        {
            options.CompileServer = CompileServerMode.Auto;
        }
    }

    /// <summary>The median of each phase over <paramref name="results"/> (the engine's own view, for the breakdown).</summary>
    public static JsonObject PhaseMedians(IReadOnlyList<ReloadResult> results)
    {
        double Median(Func<ReloadTimings, TimeSpan> phase) => Stats.Round(new Stats(results.Select(r => phase(r.Timings).TotalMilliseconds)).Median);
        return new JsonObject
        {
            ["scan_ms"] = Median(t => t.Scan),
            ["compile_ms"] = Median(t => t.Compile),
            ["load_ms"] = Median(t => t.Load),
            ["switch_ms"] = Median(t => t.Switch),
            ["retire_ms"] = Median(t => t.Retire),
            ["total_ms"] = Median(t => t.Total),
        };
    }
}
