using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Molt.Control;

namespace Molt.Hosting.HotRestart;

/// <summary>
/// Runs hot restarts one at a time: on success this process stops (its servers stop accepting and
/// finish their requests within the host's shutdown timeout, then it exits); on failure nothing
/// here changed and the reason is returned.
/// </summary>
internal sealed class HotRestarter(
    MoltEngine engine,
    HotRestartListeners listeners,
    HotRestartOptions options,
    IHostApplicationLifetime lifetime,
    ILogger logger) : IHotRestarter
{
    private int _running;

    /// <summary>Gets the host's options, whose shutdown timeout bounds the old process's drain; <see langword="null"/> outside a Generic Host.</summary>
    public HostOptions? HostOptions { get; init; }

    /// <summary>Gets the engine's options, which a hand-over points at the state snapshot.</summary>
    public MoltOptions EngineOptions => engine.Options;

    /// <summary>Gets the established connections a hand-over carries.</summary>
    public HotRestartConnections Connections => listeners.Connections;

    public Task<RestartReply> RestartAsync(CancellationToken cancellationToken = default) => RestartAsync("api", cancellationToken);

    /// <summary>Restarts; the reply says whether a new process took over, or why not.</summary>
    /// <param name="trigger">What asked (<c>control</c>, <c>signal</c>), for the log.</param>
    /// <param name="cancellationToken">Abandons the restart (the new process is killed).</param>
    public async Task<RestartReply> RestartAsync(string trigger, CancellationToken cancellationToken)
    {
        var time = engine.Options.TimeProvider;
        var started = time.GetTimestamp();
        if (Interlocked.Exchange(ref _running, 1) != 0)
        {
            return Reply(null, [], started, "a hot restart is already in progress");
        }

        var succeeded = false;
        // The user's private socket directory (0700, vetted like the control socket's).
        var directory = ControlSocketPaths.GetDefaultDirectory();
        var attempt = new HandoverAttempt(engine, listeners, options, directory, logger);
        try
        {
            Log.RestartStarting(logger, trigger);
            await attempt.RunAsync(cancellationToken).ConfigureAwait(false);
            succeeded = true;
            Log.RestartSucceeded(logger, attempt.NewPid!.Value, time.GetElapsedTime(started).TotalMilliseconds);
            // The new process serves the control channel's fixed address too: this one stops answering
            // there now (the reply to a restart request still goes out), not after its drain.
            listeners.CompleteHandover();
            // The new process holds its own copies: closing these stops nothing but this process's hold.
            listeners.Dispose();
            // The host's stop is the drain: its shutdown timeout is how long the work in flight gets.
            if (options.DrainTimeout is { } drain && HostOptions is { } host)
            {
                host.ShutdownTimeout = drain;
            }

            lifetime.StopApplication();
            return Reply(attempt.NewPid, attempt.Listeners, started, null) with { Connections = attempt.Connections };
        }
        catch (Exception ex) when (ex is HotRestartFailedException or InvalidOperationException or IOException or System.Net.Sockets.SocketException)
        {
            Log.RestartFailed(logger, ex.Message);
            return Reply(attempt.NewPid, attempt.Listeners, started, ex.Message);
        }
        finally
        {
            // After a success the process is stopping: a second restart must not start another one.
            if (!succeeded)
            {
                Volatile.Write(ref _running, 0);
            }
        }
    }

    private RestartReply Reply(int? newPid, IReadOnlyList<string> handedOver, long started, string? error) => new()
    {
        Ok = error is null,
        Pid = Environment.ProcessId,
        NewPid = newPid,
        DurationMs = engine.Options.TimeProvider.GetElapsedTime(started).TotalMilliseconds,
        Listeners = handedOver,
        Error = error,
    };
}
