using Molt;

/// <summary>
/// Calls the reloadable Tick and prints what it returns. A Tick that throws pauses the
/// simulation (the host keeps running and says so) until a new version of the module loads.
/// </summary>
internal sealed class TickLoop(EntryPoint<Func<long, string?>> tick, TextWriter output)
{
    private volatile bool _paused;

    public void Tick(long n)
    {
        if (_paused)
        {
            return;
        }

        try
        {
            using var call = tick.Enter();
            if (call.Target(n) is { } line)
            {
                output.WriteLine($"[gen {tick.Generation}] {line}");
            }
        }
        catch (Exception ex)
        {
            // Keep text only: the exception's stack trace would hold the failing generation in memory.
            var where = new System.Diagnostics.StackTrace(ex, fNeedFileInfo: true).GetFrames()
                .FirstOrDefault(f => f.GetFileName() is not null) is { } frame
                ? $" at {Path.GetFileName(frame.GetFileName())}:{frame.GetFileLineNumber()}"
                : string.Empty;
            _paused = true;
            output.WriteLine($"PAUSED: Tick threw {ex.GetType().Name}: {ex.Message}{where}. The host keeps running; save a fixed version to resume.");
        }
    }

    public void OnReloaded(ReloadResult result)
    {
        if (result.Changes.Count == 0)
        {
            return;
        }

        output.WriteLine($"RELOADED generation {result.Generation} in {result.Timings.Total.TotalMilliseconds:0.0} ms: {string.Join(", ", result.Changes.Select(c => $"{c.Module}#{c.Generation}"))}");
        foreach (var warning in result.MoltWarnings)
        {
            output.WriteLine($"  WARNING {warning}");
        }
        if (_paused && result.Changes.Any(c => c.Module == tick.Module))
        {
            _paused = false;
            output.WriteLine("RESUMED with the same state.");
        }
    }

    public void OnReloadFailed(ReloadResult result)
    {
        output.WriteLine($"RELOAD FAILED: {result.Error}. The previous version keeps running.");
        foreach (var error in result.Errors)
        {
            output.WriteLine($"  {error}");
        }
    }
}
