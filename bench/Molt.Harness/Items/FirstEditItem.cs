using System.Diagnostics;
using System.Text.Json.Nodes;
using Molt.Harness.Infrastructure;

namespace Molt.Harness.Items;

/// <summary>
/// Item 2b: the first edit after start, each in a fresh process (the compiler is warmed up in the
/// background when the engine is created). Measured right after <c>StartAsync</c> returns, and
/// after a 2-second pause (a person's first edit comes seconds after start, not microseconds).
/// </summary>
internal static class FirstEditItem
{
    public static async Task<JsonObject> RunManyAsync(int runs, string label, JsonArray rows)
    {
        var json = new JsonObject { ["runs"] = runs };
        foreach (var delay in new[] { 0, 2000 })
        {
            var firsts = new List<double>();
            var starts = new List<double>();
            for (var i = 0; i < runs; i++)
            {
                var child = await Self.RunJsonAsync("first-edit", "first-edit", "--delay", delay.ToString(System.Globalization.CultureInfo.InvariantCulture));
                firsts.Add((double)child["first_edit_ms"]!);
                starts.Add((double)child["start_ms"]!);
            }

            var stats = new Stats(firsts);
            Console.Error.WriteLine($"2b first edit, {delay} ms after start: {stats}; start {new Stats(starts)}");
            var what = delay == 0 ? "first edit after start, written as soon as StartAsync returned (fresh process each)" : $"first edit after start, written {delay} ms after StartAsync returned (fresh process each)";
            rows.Add(Row.Of("2b", what + label, LatencyItem.Ms(stats), "median ≤ 60 ms", stats.Median <= 60));
            json[$"delay_{delay}ms"] = new JsonObject { ["first_edit"] = stats.ToJson(), ["engine_start"] = new Stats(starts).ToJson() };
        }

        return json;
    }

    /// <summary>The child: starts an engine on a fresh module, then times one edit.</summary>
    public static async Task<JsonObject> ChildAsync(Options options)
    {
        var delay = options.Int("--delay", 0, 0);
        using var dir = new TempDirectory("first");
        dir.Write("calc.cs", SmallModule.Body(1));
        var started = Stopwatch.GetTimestamp();
        await using var engine = await Engines.StartAsync(dir.Root);
        var value = engine.GetEntryPoint<Func<int>>("calc", "Value");
        _ = value.Current();
        var startMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        if (delay > 0)
        {
            await Task.Delay(delay);
        }

        var (ms, result) = await EditTimer.ApiAsync(engine, () => dir.Write("calc.cs", SmallModule.Body(2)), () => value.Current() == 2);
        return new JsonObject
        {
            ["start_ms"] = Stats.Round(startMs),
            ["first_edit_ms"] = Stats.Round(ms),
            ["engine_phases"] = Engines.PhaseMedians([result]),
        };
    }
}
