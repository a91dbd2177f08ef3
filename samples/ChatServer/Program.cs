using System.Net;
using System.Net.Sockets;
using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Molt;
using Molt.Hosting;

// The permanent part of a task-per-connection TCP chat server: the listener, the accept loop and
// the connections. What a connection does (join, talk, /who, /nick) is the reloadable module
// modules/chat.cs, written as plain async code: read a line, answer, read the next.
var sampleDirectory = typeof(Program).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().First(a => a.Key == "SampleDirectory").Value!;
var port = 5090;
var modules = Path.Combine(sampleDirectory, "modules");
for (var i = 0; i + 1 < args.Length; i += 2)
{
    switch (args[i])
    {
        case "--port":
            port = int.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture);
            break;
        case "--modules":
            modules = Path.GetFullPath(args[i + 1]);
            break;
        default:
            Console.Error.WriteLine($"ChatServer: unknown option {args[i]} (use --port <n> and --modules <dir>).");
            return 1;
    }
}

var builder = Host.CreateApplicationBuilder();
builder.Logging.ClearProviders().AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Information)
    .AddFilter("Molt.Control", LogLevel.Warning);
builder.Services.AddMolt(o => o.Engine.ModuleDirectories.Add(modules));
using var host = builder.Build();
await host.StartAsync();

var engine = host.Services.GetRequiredService<MoltEngine>();
var stopping = host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
using var chat = engine.ServeConnections("chat");
var listener = new TcpListener(IPAddress.Loopback, port);
listener.Start();
Console.WriteLine($"ChatServer: listening on {listener.LocalEndpoint}. Connect with 'nc 127.0.0.1 {((IPEndPoint)listener.LocalEndpoint).Port}'; edit {Path.Combine(modules, "chat.cs")} while people talk.");
try
{
    while (!stopping.IsCancellationRequested)
    {
        var socket = await listener.AcceptSocketAsync(stopping);

        // One task per connection, as in the original; the handler code it runs is the module's,
        // and a reload hands the connection to the new code at its next read.
        _ = Task.Run(async () =>
        {
            try
            {
                await chat.ServeAsync(new NetworkStream(socket, ownsSocket: true), socket.RemoteEndPoint, stopping);
            }
            catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or InvalidDataException)
            {
                // The peer went away, or sent a line too long: that connection ends, the others go on.
            }
        }, CancellationToken.None);
    }
}
catch (OperationCanceledException)
{
}
finally
{
    listener.Stop();
}

await host.StopAsync();
Console.WriteLine("ChatServer: stopped.");
return 0;
