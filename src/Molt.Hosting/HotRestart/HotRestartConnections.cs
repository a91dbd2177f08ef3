using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Molt.Hosting.HotRestart;

/// <summary>
/// This process's transferable connections by name: those it made (<see cref="Adopt"/>) and those
/// the previous process handed over (<see cref="Take"/>, held until the hand-over is final). One
/// transferred before anybody here took it waits for a late <see cref="Take"/> (a
/// <c>BackgroundService</c>'s <c>ExecuteAsync</c> may run after the host has started) for
/// <see cref="UntakenGrace"/>, then is closed.
/// </summary>
internal sealed class HotRestartConnections(HandoverReceiver? receiver, ILogger logger) : IHotRestartConnections
{
    private readonly Dictionary<string, HotRestartConnection> _live = new(StringComparer.Ordinal);
    private readonly List<HotRestartConnection> _held = [];
    private readonly Dictionary<string, (Socket Socket, HandedOverConnection Transferred)> _untaken = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>How long a transferred connection nobody took yet waits for its <see cref="Take"/>.</summary>
    public static TimeSpan UntakenGrace { get; } = TimeSpan.FromSeconds(10);

    public HotRestartConnection? Take(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        // The receiver first, outside this lock (it calls back into Attach under its own): while the
        // transfer is under way it waits, and afterwards the connection is among the untaken.
        if (receiver?.TakeConnection(name) is not { } offered)
        {
            return TakeTransferred(name);
        }

        var connection = HotRestartConnection.Held(name, this, offered);
        lock (_gate)
        {
            _live[name] = connection;
            _held.Add(connection);
            return connection;
        }
    }

    /// <summary>Gives each transferred socket to the connection taken under its name; keeps the others for a late <see cref="Take"/>.</summary>
    internal void Attach(IReadOnlyList<(HandedOverConnection Connection, int Descriptor)> transferred)
    {
        foreach (var (offered, descriptor) in transferred)
        {
            var socket = new Socket(new SafeSocketHandle(descriptor, ownsHandle: true));
            HotRestartConnection? taken;
            lock (_gate)
            {
                taken = _held.Find(c => c.Name == offered.Name);
                if (taken is null)
                {
                    _untaken[offered.Name] = (socket, offered);
                }
            }

            taken?.Attach(socket, offered);
        }
    }

    public HotRestartConnection Adopt(string name, Socket socket)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(socket);
        if (socket.SocketType != SocketType.Stream || !socket.Connected)
        {
            throw new ArgumentException("A hot restart can hand over a connected stream socket only.", nameof(socket));
        }

        lock (_gate)
        {
            if (_live.ContainsKey(name))
            {
                throw new ArgumentException($"A connection named '{name}' is already registered for hot restart.", nameof(name));
            }

            var connection = new HotRestartConnection(name, socket, this);
            _live[name] = connection;
            return connection;
        }
    }

    /// <summary>The connections to hand over, in a stable order.</summary>
    internal IReadOnlyList<HotRestartConnection> All()
    {
        lock (_gate)
        {
            return [.. _live.Values.OrderBy(c => c.Name, StringComparer.Ordinal)];
        }
    }

    internal void Remove(HotRestartConnection connection)
    {
        lock (_gate)
        {
            if (_live.TryGetValue(connection.Name, out var live) && live == connection)
            {
                _live.Remove(connection.Name);
            }

            _held.Remove(connection);
        }
    }

    /// <summary>The hand-over is final: taken connections start reading and flush what was written meanwhile.</summary>
    internal void Commit()
    {
        HotRestartConnection[] held;
        lock (_gate)
        {
            held = [.. _held];
            _held.Clear();
        }

        foreach (var connection in held)
        {
            connection.Commit();
        }

        _ = CloseUntakenLaterAsync();
    }

    /// <summary>A connection transferred before it was taken, taken now: attached and committed at once.</summary>
    private HotRestartConnection? TakeTransferred(string name)
    {
        HotRestartConnection connection;
        lock (_gate)
        {
            if (!_untaken.Remove(name, out var transferred))
            {
                return null;
            }

            connection = HotRestartConnection.Held(name, this, transferred.Transferred);
            connection.Attach(transferred.Socket, transferred.Transferred);
            _live[name] = connection;
        }

        connection.Commit();
        return connection;
    }

    private async Task CloseUntakenLaterAsync()
    {
        await Task.Delay(UntakenGrace).ConfigureAwait(false);
        List<string> closed;
        lock (_gate)
        {
            closed = [.. _untaken.Keys.Order(StringComparer.Ordinal)];
            foreach (var (socket, _) in _untaken.Values)
            {
                socket.Dispose();
            }

            _untaken.Clear();
        }

        if (closed.Count > 0)
        {
            Log.ConnectionsNotTaken(logger, string.Join(", ", closed), UntakenGrace.TotalSeconds);
        }
    }
}
