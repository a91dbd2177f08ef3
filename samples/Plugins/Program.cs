using System.Reflection;
using System.Threading.Channels;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Molt;
using Molt.Hosting;
using Plugins;

// controllerbus hot, in .NET: a folder of prebuilt plugin assemblies (Name/Name.dll or Name.dll),
// loaded from bytes so they can be rebuilt in place, reloaded when rebuilt, unloaded when deleted.
var arguments = PluginArguments.Parse(args);
if (arguments.MeasureCycles > 0)
{
    return await MemoryMeasurement.RunAsync(arguments, Console.Out);
}

Directory.CreateDirectory(arguments.Plugins);
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = AppContext.BaseDirectory });
builder.Logging.ClearProviders().AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning)
    // This program prints each reload itself (RELOADED, RELOAD FAILED with every diagnostic); the
    // engine logs a failure and its diagnostics as errors, which would print them twice. Its
    // warnings (a leaked generation, an unload hook that threw) are still logged.
    .AddFilter("Molt", level => level == LogLevel.Warning)
    .AddFilter("Molt.Hosting", LogLevel.Warning)
    .AddFilter("Molt.Control", LogLevel.Warning);
builder.Services.AddMolt(molt => molt.Engine.ModuleDirectories.Add(arguments.Plugins));
using var host = builder.Build();
var engine = host.Services.GetRequiredService<MoltEngine>();

var changed = Channel.CreateUnbounded<ReloadResult>();
engine.Reloaded += (_, e) =>
{
    if (e.Result.Changes.Count > 0)
    {
        Console.WriteLine($"RELOADED generation {e.Result.Generation} in {e.Result.Timings.Total.TotalMilliseconds:0.0} ms: {string.Join(", ", e.Result.Changes.Select(c => $"{c.Module} {c.Kind.ToString().ToLowerInvariant()}"))}");
        foreach (var warning in e.Result.MoltWarnings)
        {
            Console.WriteLine($"  WARNING {warning}");
        }
        changed.Writer.TryWrite(e.Result);
    }
};
engine.ReloadFailed += (_, e) =>
{
    Console.WriteLine($"RELOAD FAILED: {e.Result.Error}. The loaded plugins keep running.");
    foreach (var error in e.Result.Errors)
    {
        Console.WriteLine($"  {error}");
    }
};
engine.GenerationUnloaded += (_, e) => Console.WriteLine($"UNLOADED {e.Module} generation {e.Generation}: {e.Message}");

await host.StartAsync();
Console.WriteLine($"Plugins: watching {arguments.Plugins}. Build a plugin into it, rebuild it, delete it. Ctrl+C stops.");
var manifest = new PluginManifest(engine, Console.Out);
while (changed.Reader.TryRead(out _))
{
}

manifest.Print();

var stopping = host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
try
{
    while (await changed.Reader.WaitToReadAsync(stopping))
    {
        while (changed.Reader.TryRead(out _))
        {
        }

        manifest.Print();
    }
}
catch (OperationCanceledException)
{
}

await host.StopAsync();
Console.WriteLine("Plugins: stopped.");
return 0;

/// <summary>The sample's command line: [plugin folder] [--measure N --variants A B [--keep-retired]].</summary>
internal sealed record PluginArguments(string Plugins, int MeasureCycles, IReadOnlyList<string> Variants, bool KeepRetired)
{
    public static PluginArguments Parse(string[] args)
    {
        var sampleDirectory = typeof(PluginArguments).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .First(a => a.Key == "SampleDirectory").Value!;
        var plugins = Path.Combine(sampleDirectory, "plugins");
        var cycles = 0;
        var variants = new List<string>();
        var keep = false;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--measure": cycles = int.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture); break;
                case "--variants": variants.Add(Path.GetFullPath(args[++i])); variants.Add(Path.GetFullPath(args[++i])); break;
                case "--keep-retired": keep = true; break;
                default: plugins = Path.GetFullPath(args[i]); break;
            }
        }

        return new PluginArguments(plugins, cycles, variants, keep);
    }
}
