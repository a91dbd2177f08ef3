using System.Runtime.InteropServices;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Molt.Hosting.HotRestart;

/// <summary>
/// Hot restart's part in the host's lifecycle: in a process started by a hot restart, says
/// <c>ready</c> once every hosted service (the servers too) has started; and makes <c>SIGUSR2</c>
/// restart.
/// </summary>
internal sealed class HotRestartService(
    HotRestarter restarter,
    HandoverReceiver? receiver,
    HotRestartOptions options,
    IHostApplicationLifetime lifetime,
    ILogger logger) : IHostedService
{
    private static readonly List<PosixSignalRegistration> s_registrations = [];
    private volatile bool _stopped;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.RestartOnSignal && OperatingSystem.IsLinux())
        {
            // SIGUSR2 has no PosixSignal member: .NET accepts the raw number (12 on Linux).
            var registration = PosixSignalRegistration.Create((PosixSignal)12, context =>
            {
                // Cancel the default action, which terminates the process; a restart never runs on the signal thread.
                context.Cancel = true;
                if (!_stopped)
                {
                    _ = Task.Run(() => restarter.RestartAsync("signal", CancellationToken.None));
                }
            });
            // Kept for the life of the process, as SignalTrigger's are: a late signal must not kill a stopping host.
            lock (s_registrations)
            {
                s_registrations.Add(registration);
            }
        }

        if (receiver is not null)
        {
            lifetime.ApplicationStarted.Register(() => _ = Task.Run(SignalReady));
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _stopped = true;
        return Task.CompletedTask;
    }

    private void SignalReady()
    {
        try
        {
            if (receiver!.SignalReady(restarter.EngineOptions, restarter.Connections.Attach))
            {
                restarter.Connections.Commit();
            }
        }
        catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or TimeoutException or InvalidOperationException or InvalidDataException)
        {
            // The old process gave up on this one (and is killing it), or went away: nothing to do here.
            Log.RestartFailed(logger, ex.Message);
        }
    }
}
