using System.Diagnostics;
using System.Text.Json.Nodes;
using Molt.Harness.Infrastructure;

namespace Molt.Harness.Items;

/// <summary>
/// Item 6: cold start, from starting the process until a small module directory's module first
/// runs (its load hook prints a line). Measured for <c>molt run</c> (framework-dependent and, when
/// given, ReadyToRun builds of the CLI) and for a minimal host of the harness that creates a
/// <see cref="MoltEngine"/> and calls the module once (the same engine path, no generic host).
/// </summary>
internal static class ColdStartItem
{
    private const string FirstRun = "module: first run";
    private const string Breakdown = "breakdown ";

    private const string Boot = """
        public sealed class Boot : IModule
        {
            public ValueTask OnLoadAsync(IModuleContext context)
            {
                Console.WriteLine("module: first run");
                return ValueTask.CompletedTask;
            }
        }
        """;

    public static async Task<JsonObject> RunAsync(Options options)
    {
        var runs = options.Int("--runs", quick: 5, full: 15);
        using var dir = new TempDirectory("cold");
        dir.Write("boot.cs", Boot);
        dir.Write("calc.cs", SmallModule.Body(1));
        var rows = new JsonArray();
        var json = new JsonObject { ["item"] = "coldstart", ["runs"] = runs, ["modules"] = 2 };

        // Two kinds of start: the first ever (nothing cached: every module is compiled) and a
        // restart on unchanged sources with the compilation cache (MoltOptions.CompilationCachePath,
        // on by default in molt run), whose entries the uncounted first run of each series writes.
        using var caches = new TempDirectory("cold-cache");
        var candidates = new List<(string Key, string What, Func<ProcessStartInfo> Start)>();
        ProcessStartInfo Dotnet(params string[] args)
        {
            var info = new ProcessStartInfo("dotnet");
            foreach (var arg in args)
            {
                info.ArgumentList.Add(arg);
            }

            return info;
        }

        foreach (var (flag, label) in new[] { ("--cli", "molt run (framework-dependent build)"), ("--cli-r2r", "molt run (ReadyToRun build)") })
        {
            if (options.Get(flag) is { } cli && File.Exists(cli))
            {
                var key = flag.TrimStart('-').Replace('-', '_');
                var cache = Path.Combine(caches.Root, key);
                // In-process, as these rows always measured: molt now ships the compile server and uses it by default.
                candidates.Add((key, label + ", first start (nothing cached)", () => Dotnet(cli, "run", dir.Root, "--no-control", "--no-cache", "--compile-server", "off")));
                candidates.Add((key + "_cached", label + ", restart (compiled modules cached)", () => Dotnet(cli, "run", dir.Root, "--no-control", "--cache", cache, "--compile-server", "off")));
            }
        }

        if (options.Get("--compile-server") is not null && options.Get("--cli-r2r") is { } shipped && File.Exists(shipped))
        {
            // As shipped: the tool's own compile server, already running (the uncounted first start of the series starts it).
            candidates.Add(("cli_r2r_server", "molt run (ReadyToRun build) with its compile server running, first start (nothing cached)",
                () => Dotnet(shipped, "run", dir.Root, "--no-control", "--no-cache")));
            candidates.Add(("cli_r2r_server_cached", "molt run (ReadyToRun build) with its compile server, restart (compiled modules cached)",
                () => Dotnet(shipped, "run", dir.Root, "--no-control", "--cache", Path.Combine(caches.Root, "cli-r2r-server"))));
        }

        candidates.Add(("minimal_host", "minimal host (MoltEngine + StartAsync + one call, harness process), first start", () => Self.StartInfo("cold-host", "--dir", dir.Root)));
        candidates.Add(("minimal_host_cached", "minimal host, restart (compiled modules cached)",
            () => Self.StartInfo("cold-host", "--dir", dir.Root, "--cache", Path.Combine(caches.Root, "minimal"))));
        if (options.Get("--harness-r2r") is { } harness && File.Exists(harness))
        {
            candidates.Add(("minimal_host_r2r", "minimal host, harness published ReadyToRun, first start", () => Dotnet(harness, "cold-host", "--dir", dir.Root)));
            candidates.Add(("minimal_host_r2r_cached", "minimal host, harness published ReadyToRun, restart (compiled modules cached)",
                () => Dotnet(harness, "cold-host", "--dir", dir.Root, "--cache", Path.Combine(caches.Root, "minimal-r2r"))));
        }

        if (options.Get("--compile-server") is { } server && File.Exists(server))
        {
            // With the compile server (issue 14): the uncounted first run starts it if none is up;
            // the counted ones find it running, as every start after the user's first would.
            ProcessStartInfo WithServer(ProcessStartInfo info)
            {
                info.Environment["MOLT_BENCH_COMPILE_SERVER"] = "auto";
                info.Environment["MOLT_COMPILE_SERVER"] = Path.GetFullPath(server);
                return info;
            }

            candidates.Add(("minimal_host_server", "minimal host with the compile server running, first start (nothing cached)", () => WithServer(Self.StartInfo("cold-host", "--dir", dir.Root))));
            candidates.Add(("minimal_host_server_cached", "minimal host with the compile server, restart (compiled modules cached)",
                () => WithServer(Self.StartInfo("cold-host", "--dir", dir.Root, "--cache", Path.Combine(caches.Root, "minimal-server")))));
            if (options.Get("--harness-r2r") is { } r2r && File.Exists(r2r))
            {
                candidates.Add(("minimal_host_r2r_server", "minimal host, harness published ReadyToRun, with the compile server running, first start (nothing cached)",
                    () => WithServer(Dotnet(r2r, "cold-host", "--dir", dir.Root))));
                candidates.Add(("minimal_host_r2r_server_cached", "minimal host, harness published ReadyToRun, with the compile server, restart (compiled modules cached)",
                    () => WithServer(Dotnet(r2r, "cold-host", "--dir", dir.Root, "--cache", Path.Combine(caches.Root, "minimal-r2r-server")))));
            }
        }

        foreach (var (key, what, start) in candidates)
        {
            var times = new List<double>();
            var breakdowns = new List<JsonObject>();
            for (var i = 0; i < runs + 1; i++)
            {
                if (key.Contains("server", StringComparison.Ordinal))
                {
                    await QuietServers.WaitAsync(TimeSpan.FromSeconds(30));
                }

                var started = Stopwatch.GetTimestamp();
                await using var program = new LineWatcher(start(), "never");
                var seen = program.Expect(l => l.StartsWith(FirstRun, StringComparison.Ordinal));
                var at = await seen.WaitAsync(TimeSpan.FromSeconds(60));
                if (key.StartsWith("minimal", StringComparison.Ordinal))
                {
                    await program.Expect(l => l.StartsWith(Breakdown, StringComparison.Ordinal)).WaitAsync(TimeSpan.FromSeconds(60));
                    if (i > 0)
                    {
                        breakdowns.Add(JsonNode.Parse(program.LastMatch![Breakdown.Length..])!.AsObject());
                    }
                }

                if (i > 0)
                {
                    times.Add(Stopwatch.GetElapsedTime(started, at).TotalMilliseconds); // the first run warms the disk cache
                }
            }

            var stats = new Stats(times);
            Console.Error.WriteLine($"6 {what}: {stats}");
            var target = key.EndsWith("_cached", StringComparison.Ordinal) ? 150 : 350; // issue 14: with a cache ≤ 150 ms
            rows.Add(Row.Of("6", $"cold start to the module's first run — {what}", LatencyItem.Ms(stats), $"≤ {target} ms", stats.Median <= target));
            var entry = stats.ToJson();
            if (breakdowns.Count > 0)
            {
                var phases = new JsonObject();
                foreach (var name in breakdowns[0].Select(p => p.Key))
                {
                    phases[name] = Stats.Round(new Stats(breakdowns.Select(b => (double)b[name]!)).Median);
                }

                entry["breakdown_medians_ms"] = phases;
                rows.Add(Row.Of("6", $"  where it goes ({what}), medians", string.Join(", ", phases.Select(p => p.Key.StartsWith("modules", StringComparison.Ordinal) ? $"{p.Key} {(double)p.Value!:0}" : $"{p.Key} {(double)p.Value!:0} ms"))));
            }

            json[key] = entry;
        }

        json["rows"] = rows;
        return json;
    }

    /// <summary>The minimal host: an engine on the directory, one call, exit; prints where the time went.</summary>
    public static async Task<JsonObject> HostAsync(Options options)
    {
        using var process = Process.GetCurrentProcess();
        var toMain = (DateTime.Now - process.StartTime).TotalMilliseconds;
        var dir = options.Get("--dir") ?? throw new ArgumentException("--dir is required");
        var t0 = Stopwatch.GetTimestamp();
        var settings = new MoltOptions();
        settings.ModuleDirectories.Add(dir);
        settings.CompilationCachePath = options.Get("--cache");
        settings.WarmUpCompiler = !options.Has("--no-warm-up");
        Engines.UseCompileServer(settings);
        await using var engine = new MoltEngine(settings);
        var t1 = Stopwatch.GetTimestamp();
        var result = await engine.StartAsync();
        var t2 = Stopwatch.GetTimestamp();
        var value = engine.GetEntryPoint<Func<int>>("calc", "Value");
        var answer = value.Current();
        var t3 = Stopwatch.GetTimestamp();
        var breakdown = new JsonObject
        {
            ["process start to Main"] = Stats.Round(toMain),
            ["engine constructed"] = Stats.Round(Stopwatch.GetElapsedTime(t0, t1).TotalMilliseconds),
            ["StartAsync (scan)"] = Stats.Round(result.Timings.Scan.TotalMilliseconds),
            ["StartAsync (compile)"] = Stats.Round(result.Timings.Compile.TotalMilliseconds),
            ["StartAsync (load and hooks)"] = Stats.Round(result.Timings.Load.TotalMilliseconds),
            ["StartAsync (total)"] = Stats.Round(Stopwatch.GetElapsedTime(t1, t2).TotalMilliseconds),
            ["entry point and first call"] = Stats.Round(Stopwatch.GetElapsedTime(t2, t3).TotalMilliseconds),
            ["modules taken from the cache"] = result.Changes.Count(c => c.FromCache),

            // Whether the C# compiler was loaded into this process at all (0 or 1): with a compile
            // server, or with everything cached, the host should not need it.
            ["modules: C# compiler loaded in the host"] = AppDomain.CurrentDomain.GetAssemblies().Any(a => a.GetName().Name == "Microsoft.CodeAnalysis.CSharp") ? 1 : 0,
        };
        Console.WriteLine(Breakdown + breakdown.ToJsonString());
        return new JsonObject { ["value"] = answer };
    }
}
