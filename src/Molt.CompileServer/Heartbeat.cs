using Molt.Compilation.Server;

namespace Molt.CompileServer;

/// <summary>
/// Tells the host, while a request is compiled, that the server is still working on it: every
/// interval in which this process used CPU, one heartbeat message. A compile that takes long keeps
/// its host waiting; a server that hangs without working (deadlocked, stopped, starved of its
/// threads) falls silent, and the host gives up on it after its timeout. A compile that loops
/// forever keeps beating, as it would keep an in-process compile busy.
/// </summary>
internal sealed class Heartbeat : IAsyncDisposable
{
    // The share of the interval this process must have run to count as working: a compile on a
    // starved machine gets a few percent of a core; an idle server (timers, this loop) far less.
    private const double MinimumCpuShare = 0.02;

    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public Heartbeat(Stream stream, TimeSpan interval)
    {
        _loop = BeatAsync(stream, interval, _stop.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
    }

    private static async Task BeatAsync(Stream stream, TimeSpan interval, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(interval);
        var cpu = Environment.CpuUsage.TotalTime;
        try
        {
            while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false))
            {
                var now = Environment.CpuUsage.TotalTime;
                if (now - cpu >= interval * MinimumCpuShare)
                {
                    // Not cancellable: a frame cut in the middle would corrupt the reply that follows.
                    await Frames.WriteAsync(stream, CompileMessages.Heartbeat, CancellationToken.None).ConfigureAwait(false);
                }

                cpu = now;
            }
        }
        catch (OperationCanceledException)
        {
            // The reply is ready.
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
            // The host went away: the compile finishes, its reply will find no one.
        }
    }
}
