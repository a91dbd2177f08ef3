using System.Diagnostics;

namespace Molt.Harness.Infrastructure;

/// <summary>
/// Times an edit from outside the engine: from just before the file write until the first call
/// through the entry point that returns the new behaviour.
/// </summary>
internal static class EditTimer
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(60);

    /// <summary>Writes, asks the engine to reload through its API, and polls until <paramref name="isNew"/>.</summary>
    public static async Task<(double Ms, ReloadResult Result)> ApiAsync(MoltEngine engine, Action write, Func<bool> isNew)
    {
        var start = Stopwatch.GetTimestamp();
        write();
        var reload = engine.ReloadAsync();
        Poll(isNew, start, reload);
        var ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        var result = await reload;
        return result.Succeeded ? (ms, result) : throw new InvalidOperationException($"Reload failed: {result.Error}: {string.Join("; ", result.Errors)}");
    }

    /// <summary>Writes and polls until <paramref name="isNew"/>; a file watcher triggers the reload.</summary>
    public static async Task<double> WatchedAsync(FileWatcherTrigger watcher, Action write, Func<bool> isNew)
    {
        var start = Stopwatch.GetTimestamp();
        write();
        Poll(isNew, start, null);
        var ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        await watcher.SettleAsync();
        return ms;
    }

    private static void Poll(Func<bool> isNew, long start, Task<ReloadResult>? reload)
    {
        while (!isNew())
        {
            if (reload is { IsCompleted: true })
            {
                var result = reload.GetAwaiter().GetResult();
                if (!isNew())
                {
                    throw new InvalidOperationException($"The reload ended without the new behaviour: {result.Error}: {string.Join("; ", result.Errors)}");
                }

                return;
            }

            if (Stopwatch.GetElapsedTime(start) > s_timeout)
            {
                throw new TimeoutException("The new behaviour did not appear within 60 s.");
            }

            // A caller polling flat out would take a core from the compiler on this 2-core machine.
            Thread.Yield();
        }
    }
}
