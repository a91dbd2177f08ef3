using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Molt.Control;

namespace Molt.Hosting.HotRestart;

/// <summary>
/// The new process's end of a hot restart: connects to the socket named by <c>MOLT_HANDOVER</c>,
/// receives the listening sockets and the offer (on first need: Kestrel asks for its listeners
/// before any hosted service starts), points the engine at the state snapshot before it starts,
/// and says <c>ready</c> once the host has started.
/// </summary>
internal sealed class HandoverReceiver : IDisposable
{
    /// <summary>The environment variable that carries the hand-over socket's path to the new process.</summary>
    public const string EnvironmentVariable = "MOLT_HANDOVER";

    private static readonly TimeSpan ExchangeTimeout = TimeSpan.FromSeconds(30);

    private readonly string _path;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, int> _unclaimed = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HandedOverConnection> _connections = new(StringComparer.Ordinal);
    private Socket? _socket;
    private HandoverMessage? _offer;
    private bool _pathWasOurs;

    private HandoverReceiver(string path, ILogger logger)
    {
        _path = path;
        _logger = logger;
    }

    /// <summary>Gets a value indicating whether the old process acknowledged this one's ready: from then on what was adopted is this process's.</summary>
    public bool IsTakenOver { get; private set; }

    /// <summary>Returns a receiver when this process was started by a hot restart, else <see langword="null"/>.</summary>
    public static HandoverReceiver? FromEnvironment(ILogger logger)
    {
        if (Environment.GetEnvironmentVariable(EnvironmentVariable) is not { Length: > 0 } path)
        {
            return null;
        }

        // Read once: processes this one starts must not inherit a hand-over that is not theirs.
        Environment.SetEnvironmentVariable(EnvironmentVariable, null);
        return new HandoverReceiver(path, logger);
    }

    /// <summary>Takes the descriptor handed over under <paramref name="name"/>, once; <see langword="null"/> when there is none.</summary>
    /// <exception cref="InvalidOperationException">The hand-over failed: this process cannot start as the replacement.</exception>
    public int? TakeListener(string name)
    {
        lock (_gate)
        {
            EnsureReceived();
            return _unclaimed.Remove(name, out var descriptor) ? descriptor : null;
        }
    }

    /// <summary>
    /// Takes the connection offered under <paramref name="name"/> (its name and state as of the
    /// offer; its socket comes once this process is ready), once; <see langword="null"/> when there is none.
    /// </summary>
    /// <exception cref="InvalidOperationException">The hand-over failed: this process cannot start as the replacement.</exception>
    public HandedOverConnection? TakeConnection(string name)
    {
        lock (_gate)
        {
            EnsureReceived();
            return _connections.Remove(name, out var connection) ? connection : null;
        }
    }

    /// <summary>Makes the engine restore the handed-over snapshot when it starts.</summary>
    public void PrepareState(MoltOptions engine)
    {
        HandoverMessage offer;
        lock (_gate)
        {
            EnsureReceived();
            offer = _offer!;
        }

        if (offer.SnapshotPath is not { } snapshot)
        {
            return;
        }

        if (engine.StateSnapshotPath is null)
        {
            // Restored from the hand-over's file only; the host asked for no snapshot of its own.
            engine.StateSnapshotPath = snapshot;
            _pathWasOurs = true;
        }
        else if (!string.Equals(Path.GetFullPath(engine.StateSnapshotPath), Path.GetFullPath(snapshot), StringComparison.Ordinal))
        {
            File.Copy(snapshot, engine.StateSnapshotPath, overwrite: true);
        }
    }

    /// <summary>
    /// Tells the old process this one serves, waits for its acknowledgement, then lets go of what was
    /// not claimed. Returns whether the hand-over is final: acknowledged, or the old process is gone
    /// (otherwise the old one gave up on this process and is killing it).
    /// </summary>
    /// <param name="engine">The engine's options, which pointed at the hand-over's snapshot.</param>
    /// <param name="attach">Gives each transferred connection (with its descriptor) to whoever took it, or keeps it for a late taker.</param>
    public bool SignalReady(MoltOptions engine, Action<IReadOnlyList<(HandedOverConnection Connection, int Descriptor)>> attach)
    {
        lock (_gate)
        {
            EnsureReceived();
            if (_pathWasOurs)
            {
                engine.StateSnapshotPath = null;
            }

            if (_offer!.SnapshotIsTemporary && _offer.SnapshotPath is { } temporary)
            {
                File.Delete(temporary);
            }

            HandoverChannel.Write(_socket!, new HandoverMessage { Type = HandoverMessage.Ready, Pid = Environment.ProcessId });
            if (_offer.Connections.Count > 0)
            {
                attach(ReceiveConnections());
                HandoverChannel.Write(_socket!, new HandoverMessage { Type = HandoverMessage.Taken, Pid = Environment.ProcessId });
            }

            var ack = HandoverChannel.Read(_socket!, ExchangeTimeout, CancellationToken.None);
            IsTakenOver = ack?.Type == HandoverMessage.Ack;
            Log.HandoverCompleted(_logger, _offer.Pid, IsTakenOver);
            foreach (var descriptor in _unclaimed.Values)
            {
                new Socket(new SafeSocketHandle(descriptor, ownsHandle: true)).Dispose();
            }

            _unclaimed.Clear();
            _connections.Clear();
            _socket!.Dispose();
            return ack?.Type == HandoverMessage.Ack || !IsAlive(_offer.Pid);
        }
    }

    /// <summary>The connections' descriptors and their unread bytes and final state, which the old process sends once this one is ready.</summary>
    private List<(HandedOverConnection, int)> ReceiveConnections()
    {
        HandoverChannel.WaitReadable(_socket!, ExchangeTimeout, CancellationToken.None);
        var descriptors = DescriptorPassing.Receive(_socket!, out var marker);
        var transfer = HandoverChannel.Read(_socket!, ExchangeTimeout, CancellationToken.None);
        if (marker != HandoverChannel.Marker || transfer is not { Type: HandoverMessage.Transfer } || transfer.Connections.Count != descriptors.Length)
        {
            foreach (var descriptor in descriptors)
            {
                new Socket(new SafeSocketHandle(descriptor, ownsHandle: true)).Dispose();
            }

            throw new InvalidDataException("The hand-over's transfer of connections is malformed.");
        }

        return [.. transfer.Connections.Select((c, i) => (c, descriptors[i]))];
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _socket?.Dispose();
        }
    }

    private void EnsureReceived()
    {
        if (_offer is not null)
        {
            return;
        }

        try
        {
            _socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            _socket.Connect(new UnixDomainSocketEndPoint(_path));
            // The socket's directory is private to the user, but the peer is checked all the same.
            var peer = PeerCredentials.Read(_socket);
            if (peer.UserId != LibC.GetEffectiveUserId())
            {
                throw new InvalidOperationException($"The hand-over socket is served by uid {peer.UserId}, not by the current user.");
            }

            HandoverChannel.WaitReadable(_socket, ExchangeTimeout, CancellationToken.None);
            var descriptors = DescriptorPassing.Receive(_socket, out var marker);
            var offer = HandoverChannel.Read(_socket, ExchangeTimeout, CancellationToken.None);
            if (marker != HandoverChannel.Marker || offer is not { Type: HandoverMessage.Offer } || offer.Listeners.Count != descriptors.Length)
            {
                throw new InvalidOperationException("The hand-over's offer is malformed.");
            }

            for (var i = 0; i < offer.Listeners.Count; i++)
            {
                _unclaimed[offer.Listeners[i]] = descriptors[i];
            }

            foreach (var connection in offer.Connections)
            {
                _connections[connection.Name] = connection;
            }

            _offer = offer;
            Log.HandoverReceived(_logger, offer.Pid, string.Join(", ", offer.Listeners.Concat(offer.Connections.Select(c => c.Name + " (connection)"))));
        }
        catch (Exception ex) when (ex is SocketException or IOException or TimeoutException or InvalidDataException or System.Text.Json.JsonException)
        {
            throw new InvalidOperationException($"The hot restart's hand-over through '{_path}' failed: {ex.Message}", ex);
        }
    }
}
