using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Molt.Control;
using Molt.Hosting.Triggers;

namespace Molt.Hosting;

/// <summary>
/// Claims the control channel's socket, starts the engine with the host (the first load must
/// succeed, or the host does not start), then its triggers, then answers the channel; stops them
/// in reverse and retires every generation (unload hooks run) when the host stops.
/// </summary>
internal sealed class MoltHostedService : IHostedService, IAsyncDisposable
{
    private readonly MoltEngine _engine;
    private readonly MoltHostingOptions _options;
    private readonly ReloadScheduler _scheduler;
    private readonly IControlHandler _handler;
    private readonly MoltHostStatus _status;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;
    private SignalTrigger? _signals;
    private ModuleWatcher? _watcher;
    private ModulePoller? _poller;
    private ControlServer? _server;

    /// <summary>Gets the hot restart's listeners (<c>AddMoltHotRestart</c>), which the control channel adopts and passes on; <see langword="null"/> without hot restart.</summary>
    public IListenerHandover? Handover { get; init; }

    public MoltHostedService(MoltEngine engine, IOptions<MoltHostingOptions> options, IControlHandler handler, MoltHostStatus status, ILoggerFactory loggers)
    {
        _engine = engine;
        _options = options.Value;
        _scheduler = status.Scheduler;
        _handler = handler;
        _status = status;
        _loggers = loggers;
        _logger = loggers.CreateLogger("Molt.Hosting");
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // First, so that a signal sent as soon as the process exists reloads instead of killing it.
        if (_options.ReloadOnSignals)
        {
            _signals = new SignalTrigger(_scheduler);
        }

        try
        {
            // Before the engine: a socket another process serves, or an unsafe socket directory,
            // must stop the start before any module is loaded and any of its code runs.
            if (_options.EnableControlChannel)
            {
                var serverOptions = _options.Control.ToServerOptions();
                serverOptions.Handover = Handover;
                _server = new ControlServer(_handler, serverOptions, _loggers.CreateLogger<ControlServer>());
                await _server.BindAsync(cancellationToken).ConfigureAwait(false);
            }

            var result = await _engine.StartAsync(cancellationToken).ConfigureAwait(false);
            _status.StartResult = result;
            Log.Started(_logger, result.Generation, _engine.Manifest.Modules.Count, result.Timings.Total.TotalMilliseconds);
            _scheduler.Start();
            StartFileTriggers();
            if (_server is not null)
            {
                await _server.StartAsync(cancellationToken).ConfigureAwait(false);
                _status.ControlSocketPath = _server.SocketPath;
                _status.ControlTcpEndPoint = _server.TcpEndPoint;
                Log.ControlListening(_logger, _server.SocketPath!);
            }
        }
        catch
        {
            // A failed start must not leave the socket claimed or a trigger running; stopping again later is harmless.
            await StopTriggersAsync(CancellationToken.None).ConfigureAwait(false);
            throw;
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await StopTriggersAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _engine.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Log.StopFailed(_logger, ex);
        }

        Log.Stopped(_logger);
    }

    /// <summary>Stops the triggers and the channel if the host was never stopped (the container owns the engine).</summary>
    /// <returns>A task that completes when they are stopped.</returns>
    public async ValueTask DisposeAsync() => await StopTriggersAsync(CancellationToken.None).ConfigureAwait(false);

    private void StartFileTriggers()
    {
        var targets = WatchTarget.From(_options.Engine);
        var watching = false;
        if (_options.WatchFiles)
        {
            _watcher = new ModuleWatcher(targets, _scheduler, _logger);
            watching = _watcher.Start();
        }

        var poll = _options.Polling == PollingMode.Always || (_options.Polling == PollingMode.Fallback && _options.WatchFiles && !watching);
        if (poll)
        {
            _poller = new ModulePoller(targets, _scheduler, _options.PollingInterval, _options.Engine.TimeProvider);
            Log.Polling(_logger, _options.PollingInterval.TotalMilliseconds, _options.Polling == PollingMode.Always ? "configured" : "the watcher could not start");
        }

        _status.IsWatching = watching;
        _status.IsPolling = poll;
    }

    private async Task StopTriggersAsync(CancellationToken cancellationToken)
    {
        _signals?.Dispose();
        _watcher?.Dispose();
        _poller?.Dispose();
        await _scheduler.DisposeAsync().ConfigureAwait(false);
        if (Interlocked.Exchange(ref _server, null) is { } server)
        {
            _status.ControlSocketPath = null;
            _status.ControlTcpEndPoint = null;
            try
            {
                await server.StopAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // The host's shutdown timeout ran out: the sockets are closed regardless.
            }

            await server.DisposeAsync().ConfigureAwait(false);
        }
    }
}
