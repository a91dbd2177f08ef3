using Molt.Compilation.Server;

namespace Molt.CompileServer;

/// <summary>
/// Tells the host, while a request is compiled, that the server is still working on it: every
/// interval in which this process used CPU, one heartbeat message. A compile that takes long keeps
/// its host waiting; a server that hangs without working (deadlocked, stopped, starved of its
/// threads) falls silent, and the host gives up on it after its timeout. A compile that loops
/// forever keeps beating, as it would keep an in-process compile busy.
/// </summary>
/// <remarks>
/// The beats come from a thread of their own, not from a timer on the thread pool: the compile
/// itself fills the pool (Roslyn binds and emits in parallel), and a beat queued behind it would
/// arrive late exactly when the compile is long, which is when it is needed.
/// </remarks>
internal sealed class Heartbeat : IDisposable
{
    // The share of the interval this process must have run to count as working: a compile on a
    // starved machine gets a few percent of a core; an idle server (timers, this loop) far less.
    private const double MinimumCpuShare = 0.02;

    private readonly ManualResetEventSlim _stop = new();
    private readonly Thread _thread;

    public Heartbeat(Stream stream, TimeSpan interval)
    {
        _thread = new Thread(() => Beat(stream, interval)) { IsBackground = true, Name = "Molt compile server heartbeat" };
        _thread.Start();
    }

    public void Dispose()
    {
        // Joined before the reply is written: a beat and the reply never interleave on the stream.
        _stop.Set();
        _thread.Join();
        _stop.Dispose();
    }

    private void Beat(Stream stream, TimeSpan interval)
    {
        var cpu = Environment.CpuUsage.TotalTime;
        try
        {
            while (!_stop.Wait(interval))
            {
                var now = Environment.CpuUsage.TotalTime;
                if (now - cpu >= interval * MinimumCpuShare)
                {
                    Frames.Write(stream, CompileMessages.Heartbeat);
                }

                cpu = now;
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
            // The host went away: the compile finishes, its reply will find no one.
        }
    }
}
