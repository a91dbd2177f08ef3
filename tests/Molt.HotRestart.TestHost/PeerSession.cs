using System.Net;
using System.Net.Sockets;
using Molt.Hosting;

/// <summary>
/// With <c>--peer &lt;port&gt;</c>: one outgoing TCP session to the test, carried across hot
/// restarts. Each line the test sends is answered with this process's id, the line and how many
/// lines the session has answered in all (kept in the connection's state).
/// </summary>
internal static class PeerSession
{
    public static async Task<Task> StartAsync(WebApplication app, int port)
    {
        var connections = app.Services.GetRequiredService<IHotRestartConnections>();
        var connection = connections.Take("peer");
        if (connection is null)
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port));
            connection = connections.Adopt("peer", socket);
            connection.State = "0";
        }

        Console.WriteLine($"PEER pid={Environment.ProcessId} handedOver={connection.WasHandedOver} state={connection.State}");
        return Task.Run(() => ServeAsync(connection, app.Lifetime.ApplicationStopping));
    }

    private static async Task ServeAsync(HotRestartConnection connection, CancellationToken stopping)
    {
        await using (connection)
        {
            try
            {
                while (await connection.ReadLineAsync(stopping) is { } line)
                {
                    var answered = int.Parse(connection.State!, System.Globalization.CultureInfo.InvariantCulture) + 1;
                    connection.State = answered.ToString(System.Globalization.CultureInfo.InvariantCulture);
                    await connection.WriteLineAsync($"{Environment.ProcessId} {line} {answered}", cancellationToken: stopping);
                }

                Console.WriteLine($"PEER CLOSED pid={Environment.ProcessId}");
            }
            catch (OperationCanceledException) when (connection.HandedOver.IsCancellationRequested)
            {
                Console.WriteLine($"PEER HANDED OVER pid={Environment.ProcessId}");
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
            }
        }
    }
}
