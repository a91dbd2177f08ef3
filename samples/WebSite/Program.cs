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
if (builder.Configuration["urls"] is null)
{
    builder.WebHost.UseUrls("http://127.0.0.1:5080");
}

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
Console.WriteLine($"WebSite: serving {string.Join(", ", app.Urls)} from {site}. Edit handler.cs and reload the page.");
await app.WaitForShutdownAsync();
Console.WriteLine("WebSite: stopped.");
