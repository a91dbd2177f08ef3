using System.Collections.Concurrent;
using System.Net;
using Molt.Connections;

namespace Molt;

/// <summary>
/// Serves connections the host accepted with a module's exported <see cref="IConnectionHandler"/>,
/// as it is in the generation that serves: the host keeps the socket, and a reload hands every
/// connection, at a safe point, to the new generation's handler. Create it once per module with
/// <see cref="MoltEngine.ServeConnections"/>, and call <see cref="ServeAsync"/> for each connection.
/// </summary>
/// <remarks>
/// Before a reload switches, the server stops handing out lines and waits, up to
/// <see cref="MoltOptions.DrainTimeout"/>, until every handler is at a read; a handler still busy
/// then fails the reload (MOLT032, naming the connections), and the old generation keeps serving.
/// After the switch the reads throw <see cref="OperationCanceledException"/> and each connection goes
/// on with the new generation's handler. Handlers run one at a time between their awaits (an
/// exclusive scheduler), unless their own code leaves it with <c>ConfigureAwait(false)</c>.
/// </remarks>
public sealed class ConnectionServer : IDisposable
{
    private static long s_nextId;

    private readonly MoltEngine _engine;
    private readonly string _module;
    private readonly ServiceEntryPoint<IConnectionHandler> _entry;
    private readonly DeliveryGate _gate = new();
    private readonly TaskScheduler _scheduler = new ConcurrentExclusiveSchedulerPair().ExclusiveScheduler;
    private readonly ConcurrentDictionary<ServerConnection, CancellationTokenSource> _runs = new();
    private readonly ConcurrentDictionary<long, ServerConnection> _connections = new();
    private volatile bool _disposed;

    internal ConnectionServer(MoltEngine engine, string module, string? name)
    {
        (_engine, _module) = (engine, module);
        _entry = engine.GetService<IConnectionHandler>(module, name, WaitingHandler.Instance);
        _entry.AddPreparer(_ => PauseAtSafePoints());
        engine.Switched += OnSwitched;
        engine.ReloadFailed += OnReloadFailed;
    }

    /// <summary>Gets or sets the longest line a handler may be given, in bytes (64 KiB unless set); a longer one fails its read.</summary>
    public int MaxLineBytes { get; set; } = 64 * 1024;

    /// <summary>Gets the number of connections being served now.</summary>
    public int Connections => _connections.Count;

    /// <summary>
    /// Serves one connection until the handler is done with it (it returned, other than for a
    /// reload), the peer closed it, or <paramref name="cancellationToken"/> is cancelled; then
    /// disposes <paramref name="stream"/>. While the module is absent, the connection waits (its
    /// bytes kept) for the module to come back.
    /// </summary>
    /// <param name="stream">The connection (a <see cref="System.Net.Sockets.NetworkStream"/>, an <c>SslStream</c>, ...); the server owns it from now on.</param>
    /// <param name="remoteEndPoint">The peer's address, for handlers.</param>
    /// <param name="cancellationToken">Ends the connection: the handler's token is cancelled.</param>
    /// <returns>A task that completes when the connection is closed; it fails with what the handler threw.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> is <see langword="null"/>.</exception>
    public async Task ServeAsync(Stream stream, EndPoint? remoteEndPoint = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var id = Interlocked.Increment(ref s_nextId);
        var buffer = new LineBuffer(stream, MaxLineBytes);
        var connection = new ServerConnection(id, remoteEndPoint, buffer, _gate, () => _connections.Values);
        _connections[id] = connection;
        await using (buffer.ConfigureAwait(false))
        {
            try
            {
                while (!cancellationToken.IsCancellationRequested && await RunAsync(connection, cancellationToken).ConfigureAwait(false))
                {
                    connection.IsNew = false;
                }
            }
            finally
            {
                _connections.TryRemove(id, out _);
            }
        }
    }

    /// <summary>Stops following reloads; connections still served keep their current handler.</summary>
    public void Dispose()
    {
        // The preparer stays on the entry point (there is no taking it back): it does nothing from now on.
        _disposed = true;
        _engine.Switched -= OnSwitched;
        _engine.ReloadFailed -= OnReloadFailed;
        _gate.Resume();
    }

    /// <summary>Runs one handler on the connection.</summary>
    /// <returns>Whether a reload took the connection over (run the new generation's handler next).</returns>
    private async Task<bool> RunAsync(ServerConnection run, CancellationToken stop)
    {
        // A handler starts busy (it may write a greeting before its first read); not while a reload waits for safe points.
        while (!_gate.TryBusy(run))
        {
            await _gate.WhenResumedAsync(stop).ConfigureAwait(false);
        }

        using var reloading = CancellationTokenSource.CreateLinkedTokenSource(stop);
        using var call = _entry.Enter();
        _runs[run] = reloading;
        try
        {
            if (!ReferenceEquals(call.Target, _entry.Current))
            {
                // A switch came between entering and registering: this handler is already the old one.
                await reloading.CancelAsync().ConfigureAwait(false);
            }

            await Task.Factory.StartNew(() => call.Target.HandleAsync(run, reloading.Token), CancellationToken.None, TaskCreationOptions.DenyChildAttach, _scheduler)
                .Unwrap().ConfigureAwait(false);
            return reloading.IsCancellationRequested && !stop.IsCancellationRequested;
        }
        catch (OperationCanceledException) when (reloading.IsCancellationRequested && !stop.IsCancellationRequested)
        {
            return true;
        }
        finally
        {
            _runs.TryRemove(run, out _);
            _gate.Idle(run);
        }
    }

    /// <summary>Runs before a new generation of the module switches in: every handler must be at a read.</summary>
    private void PauseAtSafePoints()
    {
        if (_disposed)
        {
            return;
        }

        var busy = _gate.Pause(_engine.Options.DrainTimeout);
        if (busy.Count > 0)
        {
            _gate.Resume();
            throw new TimeoutException(
                $"The handlers of connection(s) {string.Join(", ", busy)} of module '{_module}' did not reach a read (a safe point) within {_engine.Options.DrainTimeout.TotalSeconds:0.###} s; the old generation keeps serving. Reload again once they are idle, or make them read sooner.");
        }
    }

    private void OnSwitched(object? sender, SwitchedEventArgs e)
    {
        if (!e.Modules.Contains(_module, StringComparer.Ordinal))
        {
            return;
        }

        foreach (var reloading in _runs.Values)
        {
            try
            {
                reloading.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // That run just ended.
            }
        }

        _gate.Resume();
    }

    private void OnReloadFailed(object? sender, ReloadEventArgs e) => _gate.Resume();

    /// <summary>What serves while the module is absent: nothing; the connection waits for the module.</summary>
    private sealed class WaitingHandler : IConnectionHandler
    {
        public static readonly WaitingHandler Instance = new();

        public Task HandleAsync(IModuleConnection connection, CancellationToken reloading) => Task.Delay(Timeout.Infinite, reloading);
    }
}
