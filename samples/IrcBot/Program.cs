using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using IrcBot;
using Molt.Hosting;

// The permanent part of the IRC bot: the connection and the line loop (BotService), the hooks
// (Bot), what plugins may do (IIrc) and the admin's !reload. Every feature is a plugin in
// plugins/, reloaded on save, on SIGUSR1 (or SIGHUP), on `molt reload`, and on !reload.
var options = BotOptions.Parse(args);
var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ApplicationName = "IrcBot" });
builder.Logging
    .AddSimpleConsole(o =>
    {
        o.SingleLine = true;
        o.TimestampFormat = "HH:mm:ss.fff ";
    })
    .SetMinimumLevel(LogLevel.Information)
    .AddFilter("Microsoft", LogLevel.Warning);

builder.Services.AddSingleton(options);
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton<IrcConnection>();
builder.Services.AddSingleton<IIrc>(sp => sp.GetRequiredService<IrcConnection>());
builder.Services.AddSingleton<ReloadCommand>();
// First Molt, so every plugin is loaded (and hooked) before the bot connects.
builder.Services.AddMolt(molt =>
{
    molt.Engine.ModuleDirectories.Add(options.Plugins);
    molt.WatchFiles = options.Watch;
    if (options.Poll is { } poll)
    {
        molt.Polling = PollingMode.Always;
        molt.PollingInterval = poll;
    }
});
// molt restart (or SIGUSR2) replaces the whole process, host code included, and hands the IRC
// session over: the server sees neither a quit nor a new registration.
builder.Services.AddMoltHotRestart();
builder.Services.AddHostedService<BotService>();

using var host = builder.Build();
await host.RunAsync();
