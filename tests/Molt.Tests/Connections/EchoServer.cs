using System.Net;
using System.Net.Sockets;

namespace Molt.Tests.Connections;

/// <summary>A real TCP listener whose accepted connections a <see cref="ConnectionServer"/> serves.</summary>
internal sealed class EchoServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    public EchoServer(ConnectionServer server)
    {
        _listener.Start();
        _accepting = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                var socket = await _listener.AcceptSocketAsync(_stop.Token);
                _ = server.ServeAsync(new NetworkStream(socket, ownsSocket: true), socket.RemoteEndPoint, _stop.Token);
            }
        });
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting.ContinueWith(_ => { }, TaskScheduler.Default);
        _stop.Dispose();
    }

    /// <summary>The module: echoes each line with its version and the connection's line count (persistent, per connection).</summary>
    public static string Module(int version) => $$"""
        public sealed class Session
        {
            public int Lines;
            public int Field{{version}};
        }

        [Export]
        public sealed class Echo(IModuleContext context) : IConnectionHandler
        {
            private readonly IPersistentState<Dictionary<long, Session>> _sessions = context.State("sessions", () => new Dictionary<long, Session>());

            public async Task HandleAsync(IModuleConnection connection, CancellationToken reloading)
            {
                if (connection.IsNew)
                {
                    await connection.WriteLineAsync("hello");
                }

                while (await connection.ReadLineAsync(reloading) is { } line)
                {
                    if (line.StartsWith("sleep ", StringComparison.Ordinal))
                    {
                        await Task.Delay(int.Parse(line[6..]));
                    }

                    var count = 0;
                    _sessions.Update(sessions =>
                    {
                        if (!sessions.TryGetValue(connection.Id, out var session))
                        {
                            sessions[connection.Id] = session = new Session();
                        }

                        count = ++session.Lines;
                        return sessions;
                    });
                    await connection.WriteLineAsync($"v{{version}} {count} {line}");
                }

                _sessions.Update(sessions =>
                {
                    sessions.Remove(connection.Id);
                    return sessions;
                });
            }
        }
        """;
}
