using System.Globalization;
using Molt.CompileServer;

[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]

// Molt.CompileServer --socket <path> [--idle-seconds <n>] [--test-fault stall|exit|busy]
// Started by the engine (Molt.Compilation.Server.ServerLauncher); not meant to be run by hand.
string? socket = null;
var idle = TimeSpan.FromMinutes(10);
string? fault = null;
for (var i = 0; i < args.Length; i++)
{
    var value = i + 1 < args.Length ? args[i + 1] : null;
    switch (args[i])
    {
        case "--socket" when value is not null:
            socket = value;
            break;
        case "--idle-seconds" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds > 0:
            idle = TimeSpan.FromSeconds(seconds);
            break;
        case "--test-fault" when value is "stall" or "exit" or "busy":
            fault = value;
            break;
        default:
            await Console.Error.WriteLineAsync($"Molt.CompileServer: unknown or incomplete option '{args[i]}'.");
            return 2;
    }

    i++;
}

if (socket is null || !Path.IsPathFullyQualified(socket))
{
    await Console.Error.WriteLineAsync("Molt.CompileServer: --socket <absolute path> is required.");
    return 2;
}

using var host = new ServerHost(new ServerSettings(socket, idle, fault));
return await host.RunAsync();
