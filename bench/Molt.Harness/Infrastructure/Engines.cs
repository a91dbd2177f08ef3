using System.Text.Json.Nodes;

namespace Molt.Harness.Infrastructure;

/// <summary>Engines on a directory, and summaries of their reload timings.</summary>
internal static class Engines
{
    public static async Task<MoltEngine> StartAsync(string root, Action<MoltOptions>? configure = null)
    {
        var options = new MoltOptions();
        options.ModuleDirectories.Add(root);
        configure?.Invoke(options);
        var engine = new MoltEngine(options);
        await engine.StartAsync();
        return engine;
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
