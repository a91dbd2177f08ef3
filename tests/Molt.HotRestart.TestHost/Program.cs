using System.Globalization;
using System.Net;
using Molt.AspNetCore;
using Molt.Control;
using Molt.Hosting;

// A host that the hot restart tests (and bench/run's restart item) start as a real process:
// Kestrel on a hot-restart listener, one module from --modules serving the routes. A process
// started by a hot restart reads --mode-file: "crash" exits at once, "hang" never becomes ready,
// "drop-peer" does not take the --peer session over, "late-peer" takes it a second after starting.
var builder = WebApplication.CreateBuilder(args);
var handedOver = Environment.GetEnvironmentVariable("MOLT_HANDOVER") is not null;
var mode = handedOver && builder.Configuration["mode-file"] is { } modeFile && File.Exists(modeFile) ? File.ReadAllText(modeFile).Trim() : "";
if (mode == "crash")
{
    Console.WriteLine($"CRASHING pid={Environment.ProcessId}");
    return 3;
}

builder.Logging.SetMinimumLevel(LogLevel.Warning).AddFilter("Molt.Hosting", LogLevel.Information);
builder.Services.AddMolt(molt =>
{
    molt.Engine.ModuleDirectories.Add(builder.Configuration["modules"] ?? throw new InvalidOperationException("--modules <dir> is required"));
    molt.WatchFiles = false;
    molt.UseCompilationCache = builder.Configuration["cache"] is not null;
    molt.Engine.CompilationCachePath = builder.Configuration["cache"];
    // A control channel at a fixed address, which a hot restart passes on: --control-socket <path>,
    // --control-port <port> with --token-file <file>.
    molt.Control.SocketPath = builder.Configuration["control-socket"];
    if (builder.Configuration["control-port"] is { } port)
    {
        molt.Control.EnableTcp = true;
        molt.Control.TcpPort = int.Parse(port, CultureInfo.InvariantCulture);
        molt.Control.TcpToken = File.ReadAllText(builder.Configuration["token-file"] ?? throw new InvalidOperationException("--control-port needs --token-file")).Trim();
    }
});
builder.Services.AddMoltHotRestart(o =>
{
    o.ReadyTimeout = TimeSpan.FromSeconds(double.Parse(builder.Configuration["ready-timeout"] ?? "30", CultureInfo.InvariantCulture));
    o.DrainTimeout = builder.Configuration["drain-timeout"] is { } drain ? TimeSpan.FromSeconds(double.Parse(drain, CultureInfo.InvariantCulture)) : null;
});
if (mode == "hang")
{
    builder.Services.AddHostedService<Hang>();
}

builder.WebHost.ConfigureKestrel(k => k.ListenHotRestart("http", new IPEndPoint(IPAddress.Loopback, 0)));
var app = builder.Build();
app.MapModuleEndpoints("api");
// The permanent part's own route: a hot restart from code (IHotRestarter), answered with molt restart's record.
// A request that takes ?ms= milliseconds, for the drain: it answers with this process's id, if it is not cut off.
app.MapGet("/slow", async (int ms, HttpContext context) =>
{
    Console.WriteLine($"SLOW pid={Environment.ProcessId}");
    await Task.Delay(ms, context.RequestAborted);
    return $"{Environment.ProcessId} slow";
});
app.MapPost("/restart", async (IHotRestarter restarter) => Results.Json(await restarter.RestartAsync(), ControlJson.RestartReply));
// A raw socket server beside Kestrel: each connection gets this process's id. Claimed before the
// host starts, since a process started by a hot restart closes what it has not claimed once ready.
var listeners = app.Services.GetRequiredService<IHotRestartListeners>();
using var raw = listeners.GetListener("raw", new IPEndPoint(IPAddress.Loopback, 0));
var rawServer = Task.Run(async () =>
{
    while (true)
    {
        try
        {
            using var connection = await raw.AcceptAsync(app.Lifetime.ApplicationStopping);
            await connection.SendAsync(System.Text.Encoding.ASCII.GetBytes($"{Environment.ProcessId}\n"));
        }
        catch (OperationCanceledException)
        {
            return;
        }
    }
});

var peerPort = builder.Configuration["peer"] is { } port ? int.Parse(port, CultureInfo.InvariantCulture) : (int?)null;
var peer = peerPort is { } early && mode is not ("drop-peer" or "late-peer")
    ? await PeerSession.StartAsync(app, early)
    : Task.CompletedTask;
await app.StartAsync();
if (peerPort is { } late && mode == "late-peer")
{
    // As a BackgroundService's ExecuteAsync may: take the session after the host has started (and said ready).
    await Task.Delay(TimeSpan.FromSeconds(1));
    peer = await PeerSession.StartAsync(app, late);
}
using (var probe = listeners.GetListener("http", new IPEndPoint(IPAddress.Loopback, 0)))
{
    Console.WriteLine($"READY pid={Environment.ProcessId} port={((IPEndPoint)probe.LocalEndPoint!).Port} raw={((IPEndPoint)raw.LocalEndPoint!).Port} handover={listeners.IsHandover}");
}

await app.WaitForShutdownAsync();
await rawServer;
await peer;
Console.WriteLine($"STOPPED pid={Environment.ProcessId}");
return 0;

/// <summary>A start that never finishes, as a new build stuck at start would.</summary>
internal sealed class Hang : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        Console.WriteLine($"HANGING pid={Environment.ProcessId}");
        return Task.Delay(Timeout.Infinite, cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
