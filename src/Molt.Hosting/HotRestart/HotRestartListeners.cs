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
internal sealed class HotRestartListeners(HandoverReceiver? receiver, HotRestartOptions options, ILogger logger) : IHotRestartListeners, IListenerHandover, IDisposable
{
    /// <summary>The prefix of the control channel's listener names, which a host's own listener may not use.</summary>
    private const string ReservedPrefix = "molt:";

    private readonly Dictionary<string, Socket> _listeners = new(StringComparer.Ordinal);
    private readonly List<Action> _handedOver = [];
    private readonly Lock _gate = new();

    public bool IsHandover => receiver is not null;

    /// <summary>The established connections the hand-over carries beside the listeners.</summary>
    public HotRestartConnections Connections { get; } = new(receiver, logger);

    public bool IsTakenOver => receiver is null || receiver.IsTakenOver;

    public Socket GetListener(string name, EndPoint endPoint) =>
        new(new SafeSocketHandle(DuplicateHandle(name, endPoint), ownsHandle: true));

    /// <summary>A duplicate descriptor of the listener, for servers that take one (Kestrel's <c>ListenHandle</c>) and close it themselves.</summary>
    internal nint DuplicateHandle(string name, EndPoint endPoint)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(endPoint);
        if (name.StartsWith(ReservedPrefix, StringComparison.Ordinal))
        {
            throw new ArgumentException($"Listener names starting with '{ReservedPrefix}' are Molt's own (the control channel's).", nameof(name));
        }

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

    /// <summary>The control channel's listener passed on under <paramref name="name"/>; the control server checks its address.</summary>
    public Socket? Adopt(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return receiver?.TakeListener(name) is { } adopted ? new Socket(new SafeSocketHandle(adopted, ownsHandle: true)) : null;
    }

    /// <summary>Keeps a duplicate of a listener the control server serves, replacing what was kept under that name.</summary>
    public void Keep(string name, Socket listener)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(listener);
        var copy = new Socket(new SafeSocketHandle(DescriptorPassing.Duplicate((int)listener.Handle), ownsHandle: true));
        lock (_gate)
        {
            if (_listeners.Remove(name, out var previous))
            {
                previous.Dispose();
            }

            _listeners[name] = copy;
        }
    }

    public void OnHandedOver(Action handedOver)
    {
        ArgumentNullException.ThrowIfNull(handedOver);
        lock (_gate)
        {
            _handedOver.Add(handedOver);
        }
    }

    /// <summary>A new process serves the listeners now: tells their other users here (the control server) to stop answering on them.</summary>
    internal void CompleteHandover()
    {
        Action[] handedOver;
        lock (_gate)
        {
            handedOver = [.. _handedOver];
            _handedOver.Clear();
        }

        foreach (var action in handedOver)
        {
            action();
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
