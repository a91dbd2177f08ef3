using System.Diagnostics;
using System.Text.Json.Nodes;
using Molt.Harness.Infrastructure;

namespace Molt.Harness.Items;

/// <summary>
/// Item 5: caller threads call a delegate entry point and a service entry point flat out while a
/// reload runs every 50 ms. Counts calls, failures (exceptions) and regressions (a caller seeing
/// an older version after a newer one), and records every call's latency, with the same run
/// without reloads as the reference.
/// </summary>
internal static class DowntimeItem
{
    private static string Module(int version) => $$"""
        public static class Versioned
        {
            [Export] public static int Version() => {{version}};
        }

        [Export]
        public sealed class VersionedService : Molt.Harness.IVersioned
        {
            public int Version() => {{version}};
        }
        """;

    public static async Task<JsonObject> RunAsync(Options options)
    {
        var seconds = options.Int("--seconds", quick: 5, full: 30);
        var threads = options.Int("--threads", quick: 2, full: 2);
        using var dir = new TempDirectory("downtime");
        dir.Write("versioned.cs", Module(1));
        await using var engine = await Engines.StartAsync(dir.Root);
        var function = engine.GetEntryPoint<Func<int>>("versioned", "Version");
        var service = engine.GetService<IVersioned>("versioned");

        var idle = Run(function, service, threads, TimeSpan.FromSeconds(Math.Max(2, seconds / 3)), null);
        var version = 1;
        var reloads = 0;
        var failedReloads = 0;
        var reloadTimes = new List<double>();
        var during = Run(function, service, threads, TimeSpan.FromSeconds(seconds), async stop =>
        {
            using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
            while (!stop.IsCancellationRequested && await timer.WaitForNextTickAsync(CancellationToken.None))
            {
                dir.Write("versioned.cs", Module(++version));
                var result = await engine.ReloadAsync(cancellationToken: CancellationToken.None);
                reloads++;
                reloadTimes.Add(result.Timings.Total.TotalMilliseconds);
                if (!result.Succeeded)
                {
                    failedReloads++;
                }
            }
        });

        var rows = new JsonArray();
        var callsPerSecond = during.Calls / during.Seconds;
        var p999 = during.Latency.Percentile(99.9) / 1e6;
        Console.Error.WriteLine($"5 {threads} threads, {seconds} s, {reloads} reloads: {callsPerSecond:N0} calls/s, failed {during.Failed}, regressions {during.Regressions}, p50 {during.Latency.Percentile(50)} ns, p99 {during.Latency.Percentile(99)} ns, p99.9 {during.Latency.Percentile(99.9)} ns, max {during.Latency.Max()} ns; idle p99.9 {idle.Latency.Percentile(99.9)} ns");
        rows.Add(Row.Of("5", $"{threads} caller threads flat out, reload every 50 ms for {seconds} s ({reloads} reloads, {failedReloads} failed, reload median {new Stats(reloadTimes).Median:0.0} ms): calls per second", $"{callsPerSecond:N0} (idle: {idle.Calls / idle.Seconds:N0})"));
        rows.Add(Row.Of("5", "failed calls (exceptions) / version regressions seen by a caller", $"{during.Failed} / {during.Regressions} of {during.Calls:N0} calls", "0 failed", during.Failed == 0 && during.Regressions == 0));
        rows.Add(Row.Of("5", "call latency during reloads p50 / p99 / p99.9 / max (timed per call, includes the timer)",
            $"{during.Latency.Percentile(50)} ns / {during.Latency.Percentile(99)} ns / {during.Latency.Percentile(99.9)} ns / {during.Latency.Max() / 1e6:0.0} ms", "p99.9 ≤ 1 ms", p999 <= 1));
        rows.Add(Row.Of("5", "call latency without reloads p50 / p99 / p99.9 / max (reference)",
            $"{idle.Latency.Percentile(50)} ns / {idle.Latency.Percentile(99)} ns / {idle.Latency.Percentile(99.9)} ns / {idle.Latency.Max() / 1e6:0.0} ms"));
        return new JsonObject
        {
            ["item"] = "downtime",
            ["threads"] = threads,
            ["seconds"] = seconds,
            ["reloads"] = reloads,
            ["failed_reloads"] = failedReloads,
            ["reload_total_ms"] = new Stats(reloadTimes).ToJson(),
            ["during_reloads"] = during.ToJson(),
            ["idle"] = idle.ToJson(),
            ["rows"] = rows,
        };
    }

    private static Outcome Run(EntryPoint<Func<int>> function, ServiceEntryPoint<IVersioned> service, int threads, TimeSpan duration, Func<CancellationToken, Task>? reloader)
    {
        using var stop = new CancellationTokenSource();
        var outcomes = new Outcome[threads];
        var workers = Enumerable.Range(0, threads).Select(t => new Thread(() => outcomes[t] = Call(function, service, stop.Token)) { IsBackground = true }).ToArray();
        var started = Stopwatch.GetTimestamp();
        foreach (var worker in workers)
        {
            worker.Start();
        }

        var reloads = reloader?.Invoke(stop.Token);
        Thread.Sleep(duration);
        stop.Cancel();
        foreach (var worker in workers)
        {
            worker.Join();
        }

        reloads?.GetAwaiter().GetResult();
        var total = new Outcome { Seconds = Stopwatch.GetElapsedTime(started).TotalSeconds };
        foreach (var outcome in outcomes)
        {
            total.Calls += outcome.Calls;
            total.Failed += outcome.Failed;
            total.Regressions += outcome.Regressions;
            total.Latency.Add(outcome.Latency);
        }

        return total;
    }

    private static Outcome Call(EntryPoint<Func<int>> function, ServiceEntryPoint<IVersioned> service, CancellationToken stop)
    {
        var outcome = new Outcome();
        var nanosPerTick = 1e9 / Stopwatch.Frequency;
        var seen = 0;
        while (!stop.IsCancellationRequested)
        {
            for (var i = 0; i < 1000; i++)
            {
                var start = Stopwatch.GetTimestamp();
                int value;
                try
                {
                    value = (i & 1) == 0 ? function.Current() : service.Current.Version();
                }
                catch (Exception)
                {
                    outcome.Failed++;
                    continue;
                }

                outcome.Latency.Record((long)((Stopwatch.GetTimestamp() - start) * nanosPerTick));
                outcome.Calls++;
                if (value < seen)
                {
                    outcome.Regressions++;
                }

                seen = value;
            }
        }

        return outcome;
    }

    private sealed class Outcome
    {
        public long Calls { get; set; }

        public long Failed { get; set; }

        public long Regressions { get; set; }

        public double Seconds { get; set; }

        public Histogram Latency { get; } = new();

        public JsonObject ToJson() => new()
        {
            ["calls"] = Calls,
            ["calls_per_second"] = Math.Round(Calls / Seconds),
            ["failed"] = Failed,
            ["regressions"] = Regressions,
            ["p50_ns"] = Latency.Percentile(50),
            ["p99_ns"] = Latency.Percentile(99),
            ["p99_9_ns"] = Latency.Percentile(99.9),
            ["p99_99_ns"] = Latency.Percentile(99.99),
            ["max_ns"] = Latency.Max(),
        };
    }
}
