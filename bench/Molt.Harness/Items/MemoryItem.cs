using System.Diagnostics;
using System.Runtime.Loader;
using System.Text.Json.Nodes;
using Molt.Harness.Infrastructure;

namespace Molt.Harness.Items;

/// <summary>
/// Item 4: many reloads of the ~5,500-line one-module program, with unloading on (the engine's
/// default) and off (the seeds' behaviour), each in a fresh process: working set, GC heap, load
/// contexts and live/retired generations at intervals.
/// </summary>
internal static class MemoryItem
{
    public static async Task<JsonObject> RunAsync(Options options)
    {
        var reloads = options.Int("--reloads", quick: 60, full: 1000);
        var rows = new JsonArray();
        var json = new JsonObject { ["item"] = "memory", ["reloads"] = reloads };
        // Each mode runs in its own process; --parallel runs both at once (they share the cores, so
        // each reload is slower, but a 10,000-reload run finishes in about half the wall time).
        Task<JsonObject> Run(bool unload) => Self.RunJsonAsync(unload ? "on" : "off", "memory-run", "--reloads",
            reloads.ToString(System.Globalization.CultureInfo.InvariantCulture), "--unload", unload ? "true" : "false");
        var modes = new[] { true, false };
        var children = new Dictionary<bool, JsonObject>();
        if (options.Get("--on") is { } onFile)
        {
            // Rows from runs already made (`memory-run … --out FILE`), for a run too long to
            // repeat; --off is optional.
            children[true] = JsonNode.Parse(File.ReadAllText(onFile))!.AsObject();
            if (options.Get("--off") is { } offFile)
            {
                children[false] = JsonNode.Parse(File.ReadAllText(offFile))!.AsObject();
            }

            modes = [.. children.Keys];
            reloads = (int)children[true]["samples"]!.AsArray()[^1]!["reloads"]!;
            json["reloads"] = reloads;
            json["from_files"] = string.Join(", ", new[] { onFile, options.Get("--off") }.Where(f => f is not null));
        }
        else if (options.Has("--parallel"))
        {
            var both = await Task.WhenAll(modes.Select(Run));
            children[true] = both[0];
            children[false] = both[1];
        }
        else
        {
            foreach (var unload in modes)
            {
                children[unload] = await Run(unload);
            }
        }

        json["parallel"] = options.Has("--parallel");
        // The target is about the steady state; a run whose warm-up (10 %) ends before the compiler
        // itself has settled (~100 reloads) cannot judge it.
        var judged = reloads >= 1000;
        foreach (var unload in modes)
        {
            var child = children[unload];
            json[unload ? "unloading_on" : "unloading_off"] = child;
            var samples = child["samples"]!.AsArray();
            var warm = samples.First(s => (int)s!["reloads"]! >= (int)child["warm_up_reloads"]!)!;
            var last = samples[^1]!;
            var final = child["final"]!;
            double Mb(JsonNode node, string key) => (double)node[key]!;
            var growth = (Mb(last, "working_set_mb") / Mb(warm, "working_set_mb")) - 1;
            var what = (unload ? "unloading on (default)" : "unloading off (the seeds' behaviour)") + EditsOf(child);
            Console.Error.WriteLine($"4 {what}: working set {Mb(warm, "working_set_mb"):0} MB after warm-up -> {Mb(last, "working_set_mb"):0} MB after {reloads} reloads ({growth:+0.0%;-0.0%}); GC heap {Mb(last, "gc_heap_mb"):0} MB; load contexts {last["load_contexts"]}; retired alive at the end {final["retired_alive"]}");
            rows.Add(Row.Of("4", $"{reloads} reloads, {what}: working set after warm-up ({warm["reloads"]} reloads) → end",
                $"{Mb(warm, "working_set_mb"):0} MB → {Mb(last, "working_set_mb"):0} MB ({growth:+0.0%;-0.0%})", unload ? (judged ? "≤ +10 %" : "≤ +10 % (not judged: the working set still climbs for ~100 reloads as the compiler is jitted)") : string.Empty,
                unload && judged ? growth <= 0.10 : null));
            rows.Add(Row.Of("4", $"{reloads} reloads, {what}: GC heap / module load contexts / live generations / retired alive, at the end after unload verification",
                $"{Mb(final, "gc_heap_mb"):0} MB / {final["load_contexts"]} / {final["live_generations"]} / {final["retired_alive"]}",
                unload ? "1 live generation" : string.Empty, unload ? (int)final["live_generations"]! == 1 && (int)final["retired_alive"]! == 0 : null));
            if (last["memory_mappings"] is not null && warm["memory_mappings"] is not null)
            {
                rows.Add(Row.Of("4", $"{reloads} reloads, {what}: memory mappings / open files after warm-up → end → after unload verification",
                    $"{warm["memory_mappings"]} / {warm["open_files"]} → {last["memory_mappings"]} / {last["open_files"]} → {final["memory_mappings"]} / {final["open_files"]}", string.Empty, null));
            }
        }

        json["rows"] = rows;
        return json;
    }

    /// <summary>What a run's edits were, from its command (runs made before these options say nothing).</summary>
    private static string EditsOf(JsonObject child)
    {
        var command = (string?)child["command"] ?? string.Empty;
        var body = command.Contains("--edits body", StringComparison.Ordinal) ? ", body edits (merged deltas)" : string.Empty;
        var files = command.Contains("--image-file-threshold 0", StringComparison.Ordinal) ? ", every image loaded from a file" : string.Empty;
        return body + files;
    }

    public static async Task<JsonObject> ChildAsync(Options options)
    {
        var reloads = options.Int("--reloads", 100, 1000);
        var unload = options.Get("--unload") != "false";

        // --edits body: each reload edits a method body (merged as a delta: partial compiles); the default changes a constant (a full compile).
        var bodyEdits = options.Get("--edits") == "body";

        // --image-file-threshold 0: every image is loaded from a file (mapped), as images of 1 MiB and more are.
        var imageFileThreshold = options.Get("--image-file-threshold") is { } threshold ? int.Parse(threshold, System.Globalization.CultureInfo.InvariantCulture) : (int?)null;
        var every = Math.Max(1, reloads / 20);
        var warmUp = Math.Max(every, reloads / 10);
        using var dir = new TempDirectory("memory");
        var folder = ProgramGenerator.WriteFolderModule(dir.Root);
        await using var engine = await Engines.StartAsync(dir.Root, o =>
        {
            o.UnloadRetiredGenerations = unload;
            if (imageFileThreshold is { } bytes)
            {
                o.ImageFileThreshold = bytes;
            }
        });
        const int Edited = 17;
        var value = engine.GetEntryPoint<Func<int>>("app", ProgramGenerator.Export(Edited));
        var work = engine.GetEntryPoint<Func<int, int>>("app", "Work" + Edited.ToString("00", System.Globalization.CultureInfo.InvariantCulture));
        var path = Path.Combine(folder, ProgramGenerator.Name(Edited) + ".cs");
        var samples = new JsonArray { Sample(engine, 0, 0) };
        var started = Stopwatch.GetTimestamp();
        for (var i = 1; i <= reloads; i++)
        {
            File.WriteAllText(path, bodyEdits ? ProgramGenerator.BodyEdit(Edited, i + 1) : ProgramGenerator.Source(Edited, i + 1, split: false));
            var result = await engine.ReloadAsync();
            if (!result.Succeeded || value.Current() != i + 1)
            {
                throw new InvalidOperationException($"Reload {i} failed: {result.Error}");
            }

            _ = work.Current(50); // run (and JIT) some of the generation's code, as a real program would
            if (i % every == 0 || i == reloads)
            {
                samples.Add(Sample(engine, i, Stopwatch.GetElapsedTime(started).TotalSeconds));
                Console.Error.WriteLine(samples[^1]!.ToJsonString());
            }
        }

        // Let the background verifier settle every retired generation, then look again.
        await engine.WhenUnloadsVerifiedAsync().WaitAsync(TimeSpan.FromMinutes(2));
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return new JsonObject
        {
            ["unload"] = unload,
            ["warm_up_reloads"] = warmUp,
            ["samples"] = samples,
            ["final"] = Sample(engine, reloads, Stopwatch.GetElapsedTime(started).TotalSeconds),
        };
    }

    private static JsonObject Sample(MoltEngine engine, int reloads, double seconds)
    {
        using var process = Process.GetCurrentProcess();
        var manifest = engine.Manifest;
        return new JsonObject
        {
            ["reloads"] = reloads,
            ["seconds"] = Math.Round(seconds, 1),
            ["working_set_mb"] = Math.Round(process.WorkingSet64 / 1048576.0, 1),
            ["gc_heap_mb"] = Math.Round(GC.GetGCMemoryInfo().HeapSizeBytes / 1048576.0, 1),
            ["gc_total_memory_mb"] = Math.Round(GC.GetTotalMemory(false) / 1048576.0, 1),
            ["load_contexts"] = AssemblyLoadContext.All.Count(c => c.IsCollectible),
            ["live_generations"] = manifest.Modules.Count,
            ["retired_alive"] = manifest.RetiredAlive.Count,

            // What a leak of mapped images or open files would show before the memory does.
            ["memory_mappings"] = File.ReadLines("/proc/self/maps").Count(),
            ["open_files"] = Directory.GetFiles("/proc/self/fd").Length,
        };
    }
}
