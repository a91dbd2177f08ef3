using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Molt.Control;

/// <summary>
/// The control channel of a process: a Unix domain socket (and optionally a token-guarded TCP
/// port) carrying line-delimited JSON requests, each answered by an <see cref="IControlHandler"/>.
/// </summary>
/// <remarks>
/// Only peers running as the process owner or as root may use the Unix socket (checked with
/// <c>SO_PEERCRED</c>); the socket file has mode 0600 and lives in a directory of mode 0700. Linux only.
/// </remarks>
internal sealed partial class ControlServer : IAsyncDisposable
{
    private static readonly TimeSpan DisposeWait = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan AcceptRetryDelay = TimeSpan.FromMilliseconds(100);

    // Independent of MaxConnections: a Unix connect fails at once (EAGAIN) when the backlog is full,
    // so the backlog must absorb bursts; the connection limit is enforced after accepting.
    internal const int ListenBacklog = 512;

    /// <summary>The names a hot restart passes the channel's listeners on under; reserved, so that a host's own listeners cannot clash.</summary>
    internal const string UnixListenerName = "molt:control";

    /// <inheritdoc cref="UnixListenerName"/>
    internal const string TcpListenerName = "molt:control-tcp";

    private const int Created = 0;
    private const int Bound = 1;
    private const int Serving = 2;
    private const int Stopped = 3;

    private readonly ControlServerOptions _options;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ServerContext _context;
    private readonly ConcurrentDictionary<Task, byte> _running = new();
    private readonly List<Task> _acceptLoops = [];
    private UnixSocketFile? _unix;
    private Socket? _tcp;
    private int _state;

    // Set once a new process of the host serves the same socket file: stopping must not delete it.
    private volatile bool _unixHandedOver;

    // Set when the socket came from the previous process of the host, whose file it is until the hand-over completes.
    private bool _unixAdopted;

    /// <summary>Initialises a server; nothing listens until <see cref="BindAsync"/> or <see cref="StartAsync"/>.</summary>
    /// <param name="handler">Answers the requests.</param>
    /// <param name="options">The options; <see langword="null"/> for the defaults.</param>
    /// <param name="logger">The logger; <see langword="null"/> for none.</param>
    /// <exception cref="ArgumentException">The options are invalid (for example, TCP enabled without a token).</exception>
    /// <exception cref="PlatformNotSupportedException">Not running on Linux.</exception>
    public ControlServer(IControlHandler handler, ControlServerOptions? options = null, ILogger<ControlServer>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(handler);
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("The Molt control channel relies on Linux peer credentials (SO_PEERCRED).");
        }

        _options = options ?? new ControlServerOptions();
        _options.Validate();
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _context = new ServerContext(handler, _options, _logger, _stopping.Token);
    }

    /// <summary>Gets the Unix socket's path once bound; <see langword="null"/> before.</summary>
    public string? SocketPath => _unix?.Path;

    /// <summary>Gets the TCP listener's bound address and port, or <see langword="null"/> when TCP is off or not bound.</summary>
    public IPEndPoint? TcpEndPoint => _tcp?.LocalEndPoint as IPEndPoint;

    /// <summary>Gets the removal of other processes' leftover sockets that starting began (in the background, so it never delays a start).</summary>
    internal Task<IReadOnlyList<string>> StaleSocketsSwept { get; private set; } = Task.FromResult<IReadOnlyList<string>>([]);

    /// <summary>Gets the number of open, admitted connections.</summary>
    internal int ConnectionCount => _context.Registry.Count;

    /// <summary>
    /// Claims the socket(s): vets the directory, binds and listens, but answers nothing until
    /// <see cref="StartAsync"/>. A host binds first so that a socket already in use stops it before
    /// it loads anything; clients that connect meanwhile wait in the listen backlog.
    /// </summary>
    /// <param name="cancellationToken">Cancels binding (the stale-socket probe).</param>
    /// <returns>A task that completes once bound.</returns>
    /// <exception cref="InvalidOperationException">Already bound; or the socket directory is unsafe, another process listens on the socket path, or the TCP port cannot be bound (for example, it is taken).</exception>
    /// <exception cref="SocketException">Binding the Unix socket failed.</exception>
    public async Task BindAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.CompareExchange(ref _state, Bound, Created) != Created)
        {
            throw new InvalidOperationException("The control server was already started.");
        }

        var path = _options.SocketPath ?? ControlSocketPaths.GetDefaultSocketPath(Environment.ProcessId);
        _unix = AdoptUnix(path) ?? await UnixSocketFile.BindAsync(path, _options, _context.OwnerUid, _logger, cancellationToken).ConfigureAwait(false);
        try
        {
            if (_options.EnableTcp)
            {
                var endPoint = new IPEndPoint(_options.TcpAddress, _options.TcpPort);
                _tcp = AdoptTcp(endPoint) ?? BindTcp(endPoint);
            }

            KeepForHandover();
        }
        catch
        {
            _tcp?.Dispose();
            _tcp = null;
            CloseUnix();
            _unix = null;
            throw;
        }
    }

    /// <summary>Binds the socket(s) unless <see cref="BindAsync"/> already did, and starts accepting connections.</summary>
    /// <param name="cancellationToken">Cancels starting (the stale-socket probe).</param>
    /// <returns>A task that completes once listening.</returns>
    /// <exception cref="InvalidOperationException">Already started; or the socket directory is unsafe, another process listens on the socket path, or the TCP port cannot be bound.</exception>
    /// <exception cref="SocketException">Binding the Unix socket failed.</exception>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _state) == Created)
        {
            await BindAsync(cancellationToken).ConfigureAwait(false);
        }

        if (Interlocked.CompareExchange(ref _state, Serving, Bound) != Bound || _unix is null)
        {
            throw new InvalidOperationException("The control server was already started, or its binding failed.");
        }

        Log.ListeningUnix(_logger, _unix.Path);
        _acceptLoops.Add(AcceptLoopAsync(_unix.Listener, isTcp: false));
        var (path, uid) = (_unix.Path, _context.OwnerUid);
        StaleSocketsSwept = Task.Run(() => StaleSocketSweep.Run(path, uid, _logger));
        if (_tcp is not null)
        {
            Log.ListeningTcp(_logger, _tcp.LocalEndPoint!.ToString()!);
            _acceptLoops.Add(AcceptLoopAsync(_tcp, isTcp: true));
        }
    }

    /// <summary>Stops listening, closes every connection and deletes the socket file.</summary>
    /// <param name="cancellationToken">Stops waiting for handlers that ignore cancellation (the sockets are closed regardless).</param>
    /// <returns>A task that completes when everything has closed.</returns>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _state, Stopped) is Created or Stopped)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        CloseListeners();
        await Task.WhenAll(_acceptLoops).ConfigureAwait(false);
        await Task.WhenAll(_running.Keys).WaitAsync(cancellationToken).ConfigureAwait(false);
        Log.Stopped(_logger);
    }

    /// <summary>Stops the server, waiting a few seconds at most for handlers still running.</summary>
    /// <returns>A task that completes when stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        using var wait = new CancellationTokenSource(DisposeWait, _options.TimeProvider);
        try
        {
            await StopAsync(wait.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (wait.IsCancellationRequested)
        {
            Log.StopAbandoned(_logger);
        }

        _stopping.Dispose();
    }

    private static Socket BindTcp(IPEndPoint endPoint)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Bind(endPoint);
            socket.Listen(ListenBacklog);
            return socket;
        }
        catch (SocketException ex)
        {
            socket.Dispose();

            // The socket's own message ("Address already in use") does not say which address.
            throw new InvalidOperationException($"Cannot listen on TCP {endPoint}: {ex.Message}.", ex);
        }
    }

    private async Task AcceptLoopAsync(Socket listener, bool isTcp)
    {
        var stopping = _stopping.Token;
        while (!stopping.IsCancellationRequested)
        {
            Socket accepted;
            try
            {
                accepted = await listener.AcceptAsync(stopping).ConfigureAwait(false);
            }
            catch (Exception ex) when (stopping.IsCancellationRequested && ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            catch (SocketException ex)
            {
                // Typically out of file descriptors: pause instead of spinning, then keep serving.
                Log.AcceptFailed(_logger, ex);
                try
                {
                    await Task.Delay(AcceptRetryDelay, _options.TimeProvider, stopping).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                continue;
            }

            var connection = new ControlConnection(accepted, _context, isTcp);
            var task = connection.RunAsync();
            _running.TryAdd(task, 0);
            _ = task.ContinueWith(static (done, state) => ((ConcurrentDictionary<Task, byte>)state!).TryRemove(done, out _), _running, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }
}
