using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Molt;
using Molt.Hosting;

// The permanent part: the host, its loop, its services. The reloadable part: modules/*.cs.
var builder = Host.CreateApplicationBuilder(args);
builder.Services.AddMolt(molt => molt.Engine.ModuleDirectories.Add(Path.Combine(builder.Environment.ContentRootPath, "modules")));
using var host = builder.Build();
await host.StartAsync();

// Edit modules/hello.cs and save while this runs: the next line comes from the new code, and the
// count (a [Persistent] static) carries on. A broken edit is reported; the old code keeps serving.
var greet = host.Services.GetRequiredService<MoltEngine>().GetEntryPoint<Func<string, string>>("hello", "Greet");
var lifetime = host.Services.GetRequiredService<IHostApplicationLifetime>();
while (!lifetime.ApplicationStopping.IsCancellationRequested)
{
    Console.WriteLine(greet.Current("world"));
    await Task.Delay(TimeSpan.FromSeconds(1), lifetime.ApplicationStopping).ContinueWith(_ => { }, TaskScheduler.Default);
}

await host.StopAsync();
