using System.Net;
using System.Reflection;
using Molt;
using Molt.AspNetCore;
using Molt.Hosting;
using WebSite;

// The permanent part of racket-reloadable's example site: Kestrel, static files and the persistent
// state live here; the routes are the reloadable handler module's (site/handler.cs).
var sampleDirectory = typeof(SiteStatus).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
    .First(a => a.Key == "SampleDirectory").Value!;
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = sampleDirectory });
var site = Path.GetFullPath(builder.Configuration["site"] ?? Path.Combine(sampleDirectory, "site"));

// One HTTP endpoint, on a hot-restart listener: `molt restart` (or SIGUSR2) starts a new process of
// the site that takes over this socket, so no connection attempt is refused while it switches.
// --urls names it (one http:// address: an IP or localhost, and a port); Kestrel is not given the URL itself.
var url = new Uri(builder.Configuration["urls"] ?? "http://127.0.0.1:5080");
builder.Configuration[WebHostDefaults.ServerUrlsKey] = "";
var address = IPAddress.TryParse(url.Host.Trim('[', ']'), out var ip) ? ip
    : url.IsLoopback ? IPAddress.Loopback
    : throw new InvalidOperationException($"--urls {url}: the host must be an IP address or localhost");
var endPoint = new IPEndPoint(address, url.Port);

builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning).AddFilter("Microsoft.Hosting", LogLevel.Warning)
    // The site prints each reload itself (RELOADED, RELOAD FAILED with every diagnostic); the
    // engine logs the same as information and errors, which would print them twice. Its warnings
    // (a leaked generation, an unload hook that threw) are still logged.
    .AddFilter("Molt", level => level == LogLevel.Warning)
    .AddFilter("Molt.Hosting", LogLevel.Information)
    .AddFilter("Molt.Control", LogLevel.Information);
builder.Services.AddSingleton<SiteStatus>();
builder.Services.AddMolt(molt =>
{
    molt.Engine.ModuleDirectories.Add(site);
    // Requests still running in a retired handler get this long to finish before it is unloaded.
    molt.Engine.DrainTimeout = TimeSpan.FromSeconds(30);
});
// The counter is persistent state: a hot restart carries it to the new process as a snapshot.
builder.Services.AddMoltHotRestart();
builder.WebHost.ConfigureKestrel(kestrel => kestrel.ListenHotRestart("http", endPoint));

var app = builder.Build();
var engine = app.Services.GetRequiredService<MoltEngine>();
var status = app.Services.GetRequiredService<SiteStatus>();
engine.Reloaded += (_, e) =>
{
    status.OnReloaded(e.Result);
    if (e.Result.Changes.Count > 0)
    {
        Console.WriteLine($"RELOADED generation {e.Result.Generation} in {e.Result.Timings.Total.TotalMilliseconds:0.0} ms: {string.Join(", ", e.Result.Changes.Select(c => $"{c.Module}#{c.Generation}"))}");
        foreach (var warning in e.Result.MoltWarnings)
        {
            Console.WriteLine($"  WARNING {warning}");
        }
    }
};
engine.ReloadFailed += (_, e) =>
{
    Console.WriteLine($"RELOAD FAILED: {e.Result.Error}. The previous handler keeps serving.");
    foreach (var error in e.Result.Errors)
    {
        Console.WriteLine($"  {error}");
    }
};

// The handler module's routes, as they are in the generation that serves. Each request is a tracked
// call, so a generation retired while requests run in it is unloaded only after they complete.
app.UseStaticFiles();
app.MapModuleEndpoints("handler");

await app.StartAsync();
// The address actually listened on (port 0 picks a free one); the same socket after a hot restart.
var listeners = app.Services.GetRequiredService<IHotRestartListeners>();
using (var http = listeners.GetListener("http", endPoint))
{
    var started = listeners.IsHandover ? " (hot restart: took over the listener)" : "";
    Console.WriteLine($"WebSite: serving http://{http.LocalEndPoint} from {site}, pid {Environment.ProcessId}{started}. Edit handler.cs and reload the page.");
}

await app.WaitForShutdownAsync();
Console.WriteLine($"WebSite: stopped (pid {Environment.ProcessId}).");
