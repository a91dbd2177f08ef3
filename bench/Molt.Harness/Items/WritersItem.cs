using System.Diagnostics;
using System.Text.Json.Nodes;
using Molt.Harness.Infrastructure;

namespace Molt.Harness.Items;

/// <summary>
/// Item 7: how long the program's writers are held while a reload migrates a large state. A module
/// keeps N small objects of its own type in state; writer threads call, flat out, an export that
/// changes one object in place inside <c>Update</c> (through a handle), and a reload of the module
/// (a body edit: every object migrates) runs every so often. Every call is timed; the longest calls
/// during reloads are the time writers were held. Run with plain calls (writers wait for the value's
/// staging and the commit) and with tracked calls and <c>QuiesceBeforeSwitch</c> (held from before
/// staging to the switch).
/// </summary>
internal static class WritersItem
{
    private static string Module(int version) => $$"""
        public sealed class Cell { public int X; public string Name = "n"; public double Weight { get; set; } }

        public static class World
        {
            private static IPersistentState<List<Cell>>? s_cells;
            internal static void Attach(IPersistentState<List<Cell>> cells) => s_cells = cells;

            [Export] public static long Write(int i) => s_cells!.Update(c => { var cell = c[i % c.Count]; cell.X += {{version}}; return c; }).Count;
        }

        public sealed class Lifecycle : IModule
        {
            public ValueTask OnLoadAsync(IModuleContext context)
            {
                World.Attach(context.State("cells", () => Enumerable.Range(0, COUNT).Select(i => new Cell { X = i, Weight = i / 2.0 }).ToList()));
                return ValueTask.CompletedTask;
            }
        }
        """;

    public static async Task<JsonObject> RunAsync(Options options)
    {
        var count = options.Int("--objects", quick: 1_000_000, full: 1_000_000);
        var reloads = options.Int("--reloads", quick: 5, full: 20);
        var rows = new JsonArray();
        var runs = new JsonObject();
        foreach (var quiesce in new[] { false, true })
        {
            var run = await RunOnceAsync(count, reloads, quiesce);
            runs[quiesce ? "tracked_quiesced" : "plain"] = run.Json;
            rows.Add(Row.Of("7", $"writers held during a reload migrating {count:N0} objects ({(quiesce ? "tracked calls, QuiesceBeforeSwitch" : "plain calls through Update")}): longest call during a reload / reload median / staging (load phase) median",
                $"{run.MaxHeldMs:0.0} ms / {run.ReloadMedianMs:0.0} ms / {run.LoadMedianMs:0.0} ms"));
        }

        return new JsonObject { ["item"] = "writers", ["objects"] = count, ["reloads"] = reloads, ["runs"] = runs, ["rows"] = rows };
    }

    private static async Task<(JsonObject Json, double MaxHeldMs, double ReloadMedianMs, double LoadMedianMs)> RunOnceAsync(int count, int reloads, bool quiesce)
    {
        using var dir = new TempDirectory("writers");
        var source = (int v) => Module(v).Replace("COUNT", count.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        dir.Write("world.cs", source(1));
        await using var engine = await Engines.StartAsync(dir.Root, o => o.QuiesceBeforeSwitch = quiesce);
        var write = engine.GetEntryPoint<Func<int, long>>("world", "Write");
        using var stop = new CancellationTokenSource();
        var longest = new double[2];
        var calls = new long[2];
        var reloading = 0;
        var shared = new Writers(write, quiesce, () => Volatile.Read(ref reloading) == 1, longest, calls);
        var writers = Enumerable.Range(0, 2).Select(t => Task.Run(() => Writer(shared, t, stop.Token))).ToArray();
        var results = new List<ReloadResult>();
        for (var v = 2; v < reloads + 2; v++)
        {
            await Task.Delay(200);
            dir.Write("world.cs", source(v));
            Volatile.Write(ref reloading, 1);
            var result = await engine.ReloadAsync();
            await Task.Delay(50);
            Volatile.Write(ref reloading, 0);
            results.Add(result);
            Console.Error.WriteLine($"7 {(quiesce ? "quiesced" : "plain")} reload {v - 1}: {(result.Succeeded ? "ok" : result.Error)} in {result.Timings.Total.TotalMilliseconds:0} ms (load {result.Timings.Load.TotalMilliseconds:0}, switch {result.Timings.Switch.TotalMilliseconds:0}); longest call so far {longest.Max():0.0} ms");
        }

        await stop.CancelAsync();
        await Task.WhenAll(writers);
        var phases = Engines.PhaseMedians(results);
        var json = new JsonObject
        {
            ["quiesce"] = quiesce,
            ["failed_reloads"] = results.Count(r => !r.Succeeded),
            ["longest_call_during_reloads_ms"] = Stats.Round(longest.Max()),
            ["calls"] = calls.Sum(),
            ["phases"] = phases,
        };
        return (json, longest.Max(), phases["total_ms"]!.GetValue<double>(), phases["load_ms"]!.GetValue<double>());
    }

    private static void Writer(Writers shared, int index, CancellationToken stop)
    {
        var (write, tracked, reloading, longest, calls) = shared;
        var i = index;
        while (!stop.IsCancellationRequested)
        {
            var started = Stopwatch.GetTimestamp();
            try
            {
                if (tracked)
                {
                    using var call = write.Enter();
                    call.Target(i++);
                }
                else
                {
                    write.Current(i++);
                }
            }
            catch (InvalidOperationException)
            {
                // A plain call still in the retired code after the switch: its write is refused (README).
            }

            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            calls[index]++;
            if (reloading() && elapsed > longest[index])
            {
                longest[index] = elapsed;
            }
        }
    }

    private sealed record Writers(EntryPoint<Func<int, long>> Write, bool Tracked, Func<bool> Reloading, double[] Longest, long[] Calls);
}
