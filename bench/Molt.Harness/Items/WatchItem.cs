using System.Diagnostics;
using System.Text.Json.Nodes;
using Molt.Harness.Infrastructure;

namespace Molt.Harness.Items;

/// <summary>
/// Item 3: the same small console program under <c>dotnet watch</c> and under Molt, the same body
/// and structural edits applied to each, timed the same way: from the file write to the first
/// line the program prints with the new value (both programs print a line every ~1 ms).
/// </summary>
internal static class WatchItem
{
    private const string StartMarker = "started pid=";
    private const int WarmUpEdits = 2;
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(120);

    private const string WatchProgram = """
        Console.WriteLine($"started pid={Environment.ProcessId}");
        while (true)
        {
            Console.WriteLine($"value={Calc.Value()}");
            Thread.Sleep(1);
        }
        """;

    /// <summary>The project `dotnet watch` runs (items 3 and 3L).</summary>
    internal const string WatchProject = """
        <Project Sdk="Microsoft.NET.Sdk">
          <PropertyGroup>
            <OutputType>Exe</OutputType>
            <TargetFramework>net10.0</TargetFramework>
            <ImplicitUsings>enable</ImplicitUsings>
            <Nullable>enable</Nullable>
          </PropertyGroup>
        </Project>
        """;

    /// <summary>A stand-in for Molt's <c>[Export]</c> (optionally named), so the same sources build under <c>dotnet watch</c>.</summary>
    internal const string ExportAttribute = """
        [AttributeUsage(AttributeTargets.Method | AttributeTargets.Class)]
        internal sealed class ExportAttribute(string? name = null) : Attribute
        {
            public string? Name { get; } = name;
        }
        """;

    private const string Printer = """
        [assembly: DependsOn("calc")]

        public sealed class Printer : IModule
        {
            public ValueTask OnLoadAsync(IModuleContext context)
            {
                context.StartTimer(() => Console.WriteLine($"value={Calc.Value()}"), TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(1));
                return ValueTask.CompletedTask;
            }
        }
        """;

    public static async Task<JsonObject> RunAsync(Options options)
    {
        var bodyEdits = options.Int("--edits", quick: 5, full: 20);
        var structuralEdits = options.Int("--structural-edits", quick: 3, full: 10);
        var rudeEdits = options.Int("--rude-edits", quick: 3, full: 10);
        var rows = new JsonArray();
        if (options.Get("--small") == "none")
        {
            // Only the large programs (3L), each still measured next to dotnet watch in the same run.
            var large = new JsonObject();
            await WatchLargeItem.RunAsync(options, large, rows);
            large["rows"] = rows;
            return large;
        }

        using var moltDir = new TempDirectory("watch-molt");
        moltDir.Write("calc.cs", SmallModule.Body(1));
        var contenders = new List<(string Name, Result Result)>
        {
            ("Molt (harness host: loop calling an entry point, FileSystemWatcher -> ReloadAsync)",
                await MeasureAsync("molt", Self.StartInfo("watch-host", "--dir", moltDir.Root), StartMarker, moltDir.PathOf("calc.cs"), bodyEdits, structuralEdits, rudeEdits, settle: TimeSpan.FromMilliseconds(200))),
        };

        if (options.Get("--harness-r2r") is { } harness && File.Exists(harness))
        {
            moltDir.Write("calc.cs", SmallModule.Body(1));
            var info = new ProcessStartInfo("dotnet");
            foreach (var arg in new[] { harness, "watch-host", "--dir", moltDir.Root })
            {
                info.ArgumentList.Add(arg);
            }

            contenders.Add(("Molt (the same harness host, published ReadyToRun)",
                await MeasureAsync("molt r2r", info, StartMarker, moltDir.PathOf("calc.cs"), bodyEdits, structuralEdits, rudeEdits, settle: TimeSpan.FromMilliseconds(200))));
        }

        if (options.Get("--compile-server") is { } server && File.Exists(server))
        {
            // The same hosts with the compile server (issue 14): the engine sends each compile to it.
            foreach (var (label, host) in new[] { ("harness host", (string?)null), ("the same harness host, published ReadyToRun", options.Get("--harness-r2r")) })
            {
                if (host is not null && !File.Exists(host))
                {
                    continue;
                }

                moltDir.Write("calc.cs", SmallModule.Body(1));
                var info = host is null ? Self.StartInfo("watch-host", "--dir", moltDir.Root) : new ProcessStartInfo("dotnet");
                if (host is not null)
                {
                    foreach (var arg in new[] { host, "watch-host", "--dir", moltDir.Root })
                    {
                        info.ArgumentList.Add(arg);
                    }
                }

                info.Environment["MOLT_BENCH_COMPILE_SERVER"] = "auto";
                info.Environment["MOLT_COMPILE_SERVER"] = Path.GetFullPath(server);
                contenders.Add(($"Molt ({label}) with the compile server",
                    await MeasureAsync("molt + server" + (host is null ? string.Empty : " r2r"), info, StartMarker, moltDir.PathOf("calc.cs"), bodyEdits, structuralEdits, rudeEdits, settle: TimeSpan.FromMilliseconds(200))));
            }
        }

        // `molt run` in-process (as these rows always measured), and as shipped: with the compile server beside it.
        foreach (var (flag, build, serverMode) in new[] { ("--cli", string.Empty, "off"), ("--cli-r2r", ", ReadyToRun build", "off"), ("--cli-r2r", ", ReadyToRun build, its compile server", "auto") })
        {
            if (options.Get(flag) is not { } cli || !File.Exists(cli) || (serverMode == "auto" && options.Get("--compile-server") is null))
            {
                continue;
            }

            // The same module under `molt run`, whose Molt.Hosting watcher reloads it; a second
            // module prints the value from a 1 ms timer owned by its current generation.
            using var cliDir = new TempDirectory("watch-cli");
            cliDir.Write("calc.cs", SmallModule.Body(1));
            cliDir.Write("printer.cs", Printer);
            var info = new ProcessStartInfo("dotnet");
            foreach (var arg in new[] { cli, "run", cliDir.Root, "--no-control", "--compile-server", serverMode })
            {
                info.ArgumentList.Add(arg);
            }

            contenders.Add(($"molt run (the CLI{build}: Molt.Hosting file watcher, printer module on a 1 ms timer)",
                await MeasureAsync("molt run" + build, info, "molt: ready", cliDir.PathOf("calc.cs"), bodyEdits, structuralEdits, rudeEdits, settle: TimeSpan.FromMilliseconds(200))));
        }

        using var watchDir = new TempDirectory("watch-dotnet");
        watchDir.Write("app.csproj", WatchProject);
        watchDir.Write("Program.cs", WatchProgram);
        watchDir.Write("Export.cs", ExportAttribute);
        watchDir.Write("Calc.cs", SmallModule.Body(1));
        var watch = await MeasureAsync("dotnet watch", DotnetWatch(watchDir.Root), StartMarker, watchDir.PathOf("Calc.cs"), bodyEdits, structuralEdits, rudeEdits, settle: TimeSpan.FromMilliseconds(1500));

        var json = new JsonObject { ["item"] = "watch", ["dotnet_watch"] = watch.Json };
        rows.Add(Row.Of("3", "body edit — dotnet watch (hot reload)", LatencyItem.Ms(watch.Body)));
        rows.Add(Row.Of("3", $"structural edit (new type, new field, changed signature) — dotnet watch ({watch.StructuralRestarts} restart(s) in {structuralEdits + WarmUpEdits} edits)", LatencyItem.Ms(watch.Structural)));
        rows.Add(Row.Of("3", $"rude edit (record class <-> record struct) — dotnet watch ({watch.RudeRestarts} restart(s) in {rudeEdits + WarmUpEdits} edits)", LatencyItem.Ms(watch.Rude)));
        var key = 0;
        foreach (var (name, molt) in contenders)
        {
            var bodyRatio = molt.Body.Median / watch.Body.Median;
            var structuralRatio = molt.Structural.Median / watch.Structural.Median;
            var rudeRatio = molt.Rude.Median / watch.Rude.Median;
            var entry = molt.Json;
            entry["name"] = name;
            entry["ratio_body"] = Math.Round(bodyRatio, 4);
            entry["ratio_structural"] = Math.Round(structuralRatio, 4);
            entry["ratio_rude"] = Math.Round(rudeRatio, 4);
            json[key++ == 0 ? "molt" : $"molt_{key - 1}"] = entry;
            rows.Add(Row.Of("3", $"body edit — {name}", LatencyItem.Ms(molt.Body)));
            rows.Add(Row.Of("3", "body edit — ratio to dotnet watch (medians)", $"{bodyRatio:0.000} (1/{1 / bodyRatio:0.0})", "≤ 1/3", bodyRatio <= 1.0 / 3));
            rows.Add(Row.Of("3", $"structural edit — {name}", LatencyItem.Ms(molt.Structural)));
            rows.Add(Row.Of("3", "structural edit — ratio to dotnet watch (medians)", $"{structuralRatio:0.000} (1/{1 / structuralRatio:0.0})", "≤ 1/100", structuralRatio <= 1.0 / 100));
            rows.Add(Row.Of("3", $"rude edit — {name}", LatencyItem.Ms(molt.Rude)));
            rows.Add(Row.Of("3", "rude edit — ratio to dotnet watch (medians)", $"{rudeRatio:0.000} (1/{1 / rudeRatio:0})", "≤ 1/100", rudeRatio <= 1.0 / 100));
        }

        await WatchLargeItem.RunAsync(options, json, rows);
        json["rows"] = rows;
        return json;
    }

    /// <summary><c>dotnet watch run</c> in <paramref name="directory"/>: hot reload, restarting on rude edits, no prompts.</summary>
    internal static ProcessStartInfo DotnetWatch(string directory)
    {
        var info = new ProcessStartInfo("dotnet") { WorkingDirectory = directory };
        foreach (var arg in new[] { "watch", "run", "--non-interactive" })
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["DOTNET_WATCH_RESTART_ON_RUDE_EDIT"] = "1";
        info.Environment["DOTNET_WATCH_SUPPRESS_EMOJIS"] = "1";
        info.Environment["DOTNET_WATCH_SUPPRESS_LAUNCH_BROWSER"] = "1";
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        return info;
    }

    private static async Task<Result> MeasureAsync(
        string name, ProcessStartInfo info, string startMarker, string path, int bodyEdits, int structuralEdits, int rudeEdits, TimeSpan settle)
    {
        var started = Stopwatch.GetTimestamp();
        await using var program = new LineWatcher(info, startMarker);
        var first = program.Expect(l => l == "value=1");
        try
        {
            await first.WaitAsync(TimeSpan.FromMinutes(5));
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"{name} printed no value=1 within 5 minutes. Last output:\n{program.Tail}");
        }

        var startupMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        Console.Error.WriteLine($"3 {name}: first output after {startupMs:0} ms");
        var version = 1;
        async Task<List<double>> Edits(int count, Func<int, string> source)
        {
            var times = new List<double>();
            for (var i = 0; i < WarmUpEdits + count; i++)
            {
                await Task.Delay(settle);
                var next = ++version;
                var expected = $"value={next}";
                var ms = await program.TimeAsync(() => File.WriteAllText(path, source(next)), l => l == expected, s_timeout);
                if (i >= WarmUpEdits)
                {
                    times.Add(ms);
                }
            }

            return times;
        }

        var body = new Stats(await Edits(bodyEdits, SmallModule.Body));
        var startsBefore = program.Starts;
        var structural = new Stats(await Edits(structuralEdits, SmallModule.Structural));
        var structuralRestarts = program.Starts - startsBefore;
        var rude = new Stats(await Edits(rudeEdits, SmallModule.Rude));
        await Task.Delay(settle);
        var rudeRestarts = program.Starts - startsBefore - structuralRestarts;
        Console.Error.WriteLine($"3 {name}: body {body}; structural {structural} ({structuralRestarts} restarts); rude {rude} ({rudeRestarts} restarts)");
        return new Result(body, structural, rude, structuralRestarts, rudeRestarts, new JsonObject
        {
            ["startup_to_first_output_ms"] = Stats.Round(startupMs),
            ["body"] = body.ToJson(),
            ["structural"] = structural.ToJson(),
            ["rude"] = rude.ToJson(),
            ["restarts_during_structural_edits"] = structuralRestarts,
            ["restarts_during_rude_edits"] = rudeRestarts,
            ["output_tail"] = program.Tail,
        });
    }

    /// <summary>The Molt side: a host whose loop calls an entry point of a module and prints the value; a file watcher reloads.</summary>
    public static async Task<JsonObject> HostAsync(Options options)
    {
        var dir = options.Get("--dir") ?? throw new ArgumentException("--dir is required");
        await using var engine = await Engines.StartAsync(dir);
        using var watcher = new FileWatcherTrigger(engine, dir);
        if (Environment.GetEnvironmentVariable("MOLT_BENCH_PHASES") is { Length: > 0 } phases)
        {
            // For finding where an edit's time goes: each reload's phases, appended to the file named.
            engine.Reloaded += (_, e) => File.AppendAllText(phases, $"phases scan={e.Result.Timings.Scan.TotalMilliseconds:0.0} compile={e.Result.Timings.Compile.TotalMilliseconds:0.0} load={e.Result.Timings.Load.TotalMilliseconds:0.0} switch={e.Result.Timings.Switch.TotalMilliseconds:0.0} total={e.Result.Timings.Total.TotalMilliseconds:0.0}\n");
        }

        var value = engine.GetEntryPoint<Func<int>>(options.Get("--module") ?? "calc", options.Get("--export") ?? "Value");
        Console.WriteLine($"{StartMarker}{Environment.ProcessId}");
        while (true)
        {
            Console.WriteLine($"value={value.Current()}");
            Thread.Sleep(1);
        }
    }

    private sealed record Result(Stats Body, Stats Structural, Stats Rude, int StructuralRestarts, int RudeRestarts, JsonObject Json);
}
