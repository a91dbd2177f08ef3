using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Molt.Harness.Infrastructure;

namespace Molt.Harness.Items;

/// <summary>
/// Item 3, large programs: the generated ~5,500-line and ~50,000-line programs (issue 14), kept as
/// one folder module under Molt and as one project under <c>dotnet watch</c>; the same body edit of
/// one file (a method returning a new literal) applied to each, timed from the file write to the
/// first line the program prints with the new value.
/// </summary>
internal static class WatchLargeItem
{
    private const int Edited = 17;
    private const int WarmUpEdits = 2;
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(120);

    private static string Program(string export) => $$"""
        Console.WriteLine($"started pid={Environment.ProcessId}");
        while (true)
        {
            Console.WriteLine($"value={App.Export{{export}}.Value()}");
            Thread.Sleep(1);
        }
        """;

    /// <summary>Measures every size named by <c>--large</c> (file counts, default 50 and 450; <c>none</c> skips).</summary>
    public static async Task RunAsync(Options options, JsonObject json, JsonArray rows)
    {
        var sizes = options.Get("--large") ?? "50,450";
        if (sizes == "none")
        {
            return;
        }

        var edits = options.Int("--large-edits", quick: 5, full: 15);
        var large = new JsonObject();
        foreach (var count in sizes.Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)))
        {
            large[$"files_{count}"] = await SizeAsync(options, count, edits, rows);
        }

        json["large"] = large;
    }

    private static async Task<JsonObject> SizeAsync(Options options, int files, int edits, JsonArray rows)
    {
        using var moltDir = new TempDirectory($"watch-large-molt-{files}");
        var folder = ProgramGenerator.WriteFolderModule(moltDir.Root, fileCount: files);
        var lines = Directory.GetFiles(folder, "*.cs").Sum(f => File.ReadAllLines(f).Length);
        var what = $"one file of a {lines:N0}-line program kept as one module ({files} files)";
        var edited = Path.Combine(folder, ProgramGenerator.Name(Edited) + ".cs");
        var export = ProgramGenerator.Export(Edited);
        var contenders = new List<(string Name, Stats Stats, double StartMs)>();
        foreach (var (label, host, server) in Hosts(options))
        {
            File.WriteAllText(edited, ProgramGenerator.BodyEdit(Edited, 1));
            var info = host is null ? Self.StartInfo("watch-host", "--dir", moltDir.Root, "--module", "app", "--export", export) : new ProcessStartInfo("dotnet");
            if (host is not null)
            {
                foreach (var arg in new[] { host, "watch-host", "--dir", moltDir.Root, "--module", "app", "--export", export })
                {
                    info.ArgumentList.Add(arg);
                }
            }

            if (server is not null)
            {
                info.Environment["MOLT_BENCH_COMPILE_SERVER"] = "auto";
                info.Environment["MOLT_COMPILE_SERVER"] = Path.GetFullPath(server);
            }

            var (stats, start) = await MeasureAsync($"molt {label} ({files} files)", info, edited, edits, TimeSpan.FromMilliseconds(300));
            contenders.Add(($"Molt ({label})", stats, start));
        }

        if (options.Get("--no-watch") is "true")
        {
            // Profiling Molt alone (with MOLT_BENCH_PHASES=<file>): no dotnet watch row.
            return new JsonObject { ["lines"] = lines, ["files"] = files };
        }

        using var watchDir = new TempDirectory($"watch-large-dotnet-{files}");
        watchDir.Write("app.csproj", WatchItem.WatchProject);
        watchDir.Write("Program.cs", Program(ProgramGenerator.Name(Edited)[1..]));
        watchDir.Write("Export.cs", WatchItem.ExportAttribute);
        foreach (var file in Directory.GetFiles(folder, "*.cs"))
        {
            File.Copy(file, watchDir.PathOf(Path.GetFileName(file)));
        }

        // The Molt runs above left their last edit in the edited file: start from version 1 again.
        watchDir.Write(ProgramGenerator.Name(Edited) + ".cs", ProgramGenerator.BodyEdit(Edited, 1));

        var (watch, watchStart) = await MeasureAsync($"dotnet watch ({files} files)", WatchItem.DotnetWatch(watchDir.Root), watchDir.PathOf(ProgramGenerator.Name(Edited) + ".cs"), edits, TimeSpan.FromMilliseconds(1500));

        rows.Add(Row.Of("3L", $"body edit of {what} — dotnet watch (hot reload)", LatencyItem.Ms(watch)));
        var result = new JsonObject { ["lines"] = lines, ["files"] = files, ["dotnet_watch"] = Json(watch, watchStart) };
        foreach (var (name, stats, start) in contenders)
        {
            var ratio = stats.Median / watch.Median;
            rows.Add(Row.Of("3L", $"body edit of {what} — {name}", LatencyItem.Ms(stats)));
            rows.Add(Row.Of("3L", $"— ratio to dotnet watch (medians), {name}", $"{ratio:0.00}", "≤ 1", ratio <= 1));
            var entry = Json(stats, start);
            entry["ratio"] = Math.Round(ratio, 3);
            result[name] = entry;
        }

        return result;
    }

    /// <summary>The Molt hosts measured: the harness host in-process, and with the compile server (JIT and ReadyToRun hosts) when given.</summary>
    private static IEnumerable<(string Label, string? Host, string? Server)> Hosts(Options options)
    {
        yield return ("harness host, in-process compiles", null, null);
        if (options.Get("--compile-server") is { } server && File.Exists(server))
        {
            yield return ("harness host, compile server", null, server);
            if (options.Get("--harness-r2r") is { } r2r && File.Exists(r2r))
            {
                yield return ("ReadyToRun harness host, compile server", r2r, server);
            }
        }
    }

    private static JsonObject Json(Stats stats, double startMs) => new()
    {
        ["startup_to_first_output_ms"] = Stats.Round(startMs),
        ["body"] = stats.ToJson(),
    };

    private static async Task<(Stats Body, double StartMs)> MeasureAsync(string name, ProcessStartInfo info, string path, int edits, TimeSpan settle)
    {
        var started = Stopwatch.GetTimestamp();
        await using var program = new LineWatcher(info, "started pid=");
        try
        {
            await program.Expect(l => l == "value=1").WaitAsync(TimeSpan.FromMinutes(10));
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"{name} printed no value=1 within 10 minutes. Last output:\n{program.Tail}");
        }

        var startMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        var times = new List<double>();
        for (var i = 0; i < WarmUpEdits + edits; i++)
        {
            await Task.Delay(settle);
            var next = i + 2;
            var ms = await program.TimeAsync(() => File.WriteAllText(path, ProgramGenerator.BodyEdit(Edited, next)), l => l == $"value={next}", s_timeout);
            if (i >= WarmUpEdits)
            {
                times.Add(ms);
            }
        }

        var stats = new Stats(times);
        Console.Error.WriteLine($"3L {name}: first output after {startMs:0} ms; body {stats}; restarts {program.Starts - 1}");
        return (stats, startMs);
    }
}
