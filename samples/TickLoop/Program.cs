using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Molt;
using Molt.Hosting;

// The permanent part of the potato sample: a loop that calls the reloadable Tick at a fixed rate.
// Everything the simulation knows lives in persistent state, owned here, so it survives reloads.
// Molt runs in the Generic Host: its file watcher reloads on save (mid-save states are waited
// out), SIGUSR1 reloads, SIGINT/SIGTERM stop, and `molt reload` / `molt status` reach it.
var arguments = SampleArguments.Parse(args);
var builder = Host.CreateApplicationBuilder();
builder.Logging.ClearProviders().AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning)
    // The loop prints each reload itself (RELOADED, RELOAD FAILED with every diagnostic); the engine
    // logs a failure and its diagnostics as errors, which would print them twice. Its warnings
    // (a leaked generation, an unload hook that threw) are still logged.
    .AddFilter("Molt", level => level == LogLevel.Warning)
    .AddFilter("Molt.Hosting", LogLevel.Warning)
    .AddFilter("Molt.Control", LogLevel.Warning);
builder.Services.AddMolt(o =>
{
    o.Engine.ModuleDirectories.Add(arguments.Modules);
    o.Engine.StateSnapshotPath = arguments.Snapshot;

    // Ticks are tracked calls: the switch waits for the running tick and holds the next one, so a
    // tick never writes the world after it was migrated.
    o.Engine.QuiesceBeforeSwitch = true;
    if (arguments.Poll is { } poll)
    {
        o.Polling = PollingMode.Always;
        o.PollingInterval = poll;
    }
});
using var host = builder.Build();
await host.StartAsync();

var engine = host.Services.GetRequiredService<MoltEngine>();
var stopping = host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
var tick = engine.GetEntryPoint<Func<long, string?>>("simulation", "Tick");
var loop = new TickLoop(tick, Console.Out);
engine.Reloaded += (_, e) => loop.OnReloaded(e.Result);
var status = host.Services.GetRequiredService<MoltHostStatus>();
engine.ReloadFailed += (_, e) =>
{
    // A failure newer saves already superseded (a save still being written) is not news: the
    // follow-up reload, already queued, reports what the files say now.
    if (!status.IsSuperseded(e.Result))
    {
        loop.OnReloadFailed(e.Result);
    }
};

Console.WriteLine($"TickLoop: ticking every {arguments.Interval.TotalMilliseconds:0} ms. Edit {Path.Combine(arguments.Modules, "simulation.cs")} and save:");
Console.WriteLine("the next tick runs the new code with the same world. Ctrl+C stops.");

using var timer = new PeriodicTimer(arguments.Interval);
try
{
    for (long n = 1; arguments.Ticks == 0 || n <= arguments.Ticks; n++)
    {
        loop.Tick(n);
        await timer.WaitForNextTickAsync(stopping);
    }
}
catch (OperationCanceledException)
{
}

// Unload hooks run and the snapshot, if any, is written as the host stops.
await host.StopAsync();
Console.WriteLine("TickLoop: stopped.");

/// <summary>The sample's command line: [modules directory] [--ticks N] [--interval ms] [--poll ms] [--snapshot file].</summary>
internal sealed record SampleArguments(string Modules, long Ticks, TimeSpan Interval, TimeSpan? Poll, string? Snapshot)
{
    public static SampleArguments Parse(string[] args)
    {
        var sampleDirectory = typeof(SampleArguments).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .First(a => a.Key == "SampleDirectory").Value!;
        var modules = Path.Combine(sampleDirectory, "modules");
        long ticks = 0;
        var interval = TimeSpan.FromMilliseconds(500);
        TimeSpan? poll = null;
        string? snapshot = null;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--ticks": ticks = long.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture); break;
                case "--interval": interval = TimeSpan.FromMilliseconds(double.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture)); break;
                case "--snapshot": snapshot = Path.GetFullPath(args[++i]); break;
                case "--poll": poll = TimeSpan.FromMilliseconds(double.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture)); break;
                default: modules = Path.GetFullPath(args[i]); break;
            }
        }

        return new SampleArguments(modules, ticks, interval, poll, snapshot);
    }
}
