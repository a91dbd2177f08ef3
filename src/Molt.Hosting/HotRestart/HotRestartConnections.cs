using System.Net.Sockets;

namespace Molt.Hosting.HotRestart;

/// <summary>
/// This process's transferable connections by name: those it made (<see cref="Adopt"/>) and those
/// the previous process handed over (<see cref="Take"/>, held until the hand-over is final).
/// </summary>
internal sealed class HotRestartConnections(HandoverReceiver? receiver) : IHotRestartConnections
{
    private readonly Dictionary<string, HotRestartConnection> _live = new(StringComparer.Ordinal);
    private readonly List<HotRestartConnection> _held = [];
    private readonly Lock _gate = new();

    public HotRestartConnection? Take(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        // Outside this lock: the receiver calls back into Attach under its own.
        if (receiver?.TakeConnection(name) is not { } offered)
        {
            return null;
        }

        var connection = HotRestartConnection.Held(name, this, offered);
        lock (_gate)
        {
            _live[name] = connection;
            _held.Add(connection);
            return connection;
        }
    }

    /// <summary>Gives each transferred socket to the connection taken under its name; closes the ones nobody took.</summary>
    /// <returns>The names of the connections nobody took (closed).</returns>
    internal IReadOnlyList<string> Attach(IReadOnlyList<(HandedOverConnection Connection, int Descriptor)> transferred)
    {
        var closed = new List<string>();
        foreach (var (offered, descriptor) in transferred)
        {
            var socket = new Socket(new SafeSocketHandle(descriptor, ownsHandle: true));
            HotRestartConnection? taken;
            lock (_gate)
            {
                taken = _held.Find(c => c.Name == offered.Name);
            }

            if (taken is null)
            {
                socket.Dispose();
                closed.Add(offered.Name);
            }
            else
            {
                taken.Attach(socket, offered);
            }
        }

        return closed;
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
    }
}
