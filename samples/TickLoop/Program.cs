using System.Reflection;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Molt;

// The permanent part of the potato sample: a loop that calls the reloadable Tick at a fixed rate.
// Everything the simulation knows lives in persistent state, owned here, so it survives reloads.
var arguments = SampleArguments.Parse(args);
using var loggerFactory = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning));
var options = new MoltOptions();
options.ModuleDirectories.Add(arguments.Modules);
options.StateSnapshotPath = arguments.Snapshot;

// Ticks are tracked calls: the switch waits for the running tick and holds the next one, so a
// tick never writes the world after it was migrated.
options.QuiesceBeforeSwitch = true;
await using var engine = new MoltEngine(options, loggerFactory);
await engine.StartAsync();

var tick = engine.GetEntryPoint<Func<long, string?>>("simulation", "Tick");
var loop = new TickLoop(tick, Console.Out);
engine.Reloaded += (_, e) => loop.OnReloaded(e.Result);
engine.ReloadFailed += (_, e) => loop.OnReloadFailed(e.Result);

using var stop = new CancellationTokenSource();
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.Cancel(); });
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });
using var sigusr1 = PosixSignalRegistration.Create((PosixSignal)10, _ => engine.ReloadAsync("signal"));

Console.WriteLine($"TickLoop: ticking every {arguments.Interval.TotalMilliseconds:0} ms. Edit {Path.Combine(arguments.Modules, "simulation.cs")} and save:");
Console.WriteLine("the next tick runs the new code with the same world. Ctrl+C stops.");

// Polls the module files for changes (cheap: an unchanged file is a hash compare).
_ = Task.Run(async () =>
{
    using var poll = new PeriodicTimer(arguments.Poll);
    while (await poll.WaitForNextTickAsync(stop.Token).ConfigureAwait(false))
    {
        await engine.ReloadAsync("poll", stop.Token).ConfigureAwait(false);
    }
}, stop.Token);

using var timer = new PeriodicTimer(arguments.Interval);
try
{
    for (long n = 1; arguments.Ticks == 0 || n <= arguments.Ticks; n++)
    {
        loop.Tick(n);
        await timer.WaitForNextTickAsync(stop.Token);
    }
}
catch (OperationCanceledException)
{
}

Console.WriteLine("TickLoop: stopped.");

/// <summary>The sample's command line: [modules directory] [--ticks N] [--interval ms] [--poll ms] [--snapshot file].</summary>
internal sealed record SampleArguments(string Modules, long Ticks, TimeSpan Interval, TimeSpan Poll, string? Snapshot)
{
    public static SampleArguments Parse(string[] args)
    {
        var sampleDirectory = typeof(SampleArguments).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .First(a => a.Key == "SampleDirectory").Value!;
        var modules = Path.Combine(sampleDirectory, "modules");
        long ticks = 0;
        var interval = TimeSpan.FromMilliseconds(500);
        var poll = TimeSpan.FromMilliseconds(200);
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
