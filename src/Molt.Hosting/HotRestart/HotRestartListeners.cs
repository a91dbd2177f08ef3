using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Molt.Control;

namespace Molt.Hosting.HotRestart;

/// <summary>
/// Keeps one listening socket per name, adopted from a hand-over or bound here, and hands out
/// duplicates of it: servers close theirs when they stop, and what is kept here is what the next
/// hot restart passes on.
/// </summary>
internal sealed class HotRestartListeners(HandoverReceiver? receiver, HotRestartOptions options, ILogger logger) : IHotRestartListeners, IDisposable
{
    private readonly Dictionary<string, Socket> _listeners = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public bool IsHandover => receiver is not null;

    /// <summary>The established connections the hand-over carries beside the listeners.</summary>
    public HotRestartConnections Connections { get; } = new(receiver, logger);

    public Socket GetListener(string name, EndPoint endPoint) =>
        new(new SafeSocketHandle(DuplicateHandle(name, endPoint), ownsHandle: true));

    /// <summary>A duplicate descriptor of the listener, for servers that take one (Kestrel's <c>ListenHandle</c>) and close it themselves.</summary>
    internal nint DuplicateHandle(string name, EndPoint endPoint)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(endPoint);
        lock (_gate)
        {
            if (!_listeners.TryGetValue(name, out var listener))
            {
                listener = receiver?.TakeListener(name) is { } adopted
                    ? new Socket(new SafeSocketHandle(adopted, ownsHandle: true))
                    : Bind(endPoint);
                _listeners[name] = listener;
            }

            return DescriptorPassing.Duplicate((int)listener.Handle);
        }
    }

    /// <summary>The listeners to hand over, in a stable order.</summary>
    internal IReadOnlyList<KeyValuePair<string, Socket>> All()
    {
        lock (_gate)
        {
            return [.. _listeners.OrderBy(l => l.Key, StringComparer.Ordinal)];
        }
    }

    /// <summary>Closes the kept sockets: the servers' duplicates and the new process's copies go on listening.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var listener in _listeners.Values)
            {
                listener.Dispose();
            }

            _listeners.Clear();
        }
    }

    private Socket Bind(EndPoint endPoint)
    {
        var protocol = endPoint is UnixDomainSocketEndPoint ? ProtocolType.Unspecified : ProtocolType.Tcp;
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, protocol);
        try
        {
            socket.Bind(endPoint);
            socket.Listen(options.ListenBacklog);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
