namespace Molt.Harness.Infrastructure;

/// <summary>
/// The harness's own file watcher: every change under the module directory asks the engine to
/// reload (the engine coalesces requests that arrive during a reload). No debounce, so the
/// figures show the engine's own latency plus inotify's.
/// </summary>
internal sealed class FileWatcherTrigger : IDisposable
{
    private readonly MoltEngine _engine;
    private readonly FileSystemWatcher _watcher;
    private readonly Lock _gate = new();
    private Task _last = Task.CompletedTask;

    public FileWatcherTrigger(MoltEngine engine, string root)
    {
        _engine = engine;
        _watcher = new FileSystemWatcher(root)
        {
            IncludeSubdirectories = true,
            NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.FileName | NotifyFilters.Size,
        };
        _watcher.Changed += (_, _) => Trigger();
        _watcher.Created += (_, _) => Trigger();
        _watcher.Renamed += (_, _) => Trigger();
        _watcher.EnableRaisingEvents = true;
    }

    /// <summary>Waits for the reloads triggered so far, after letting late events arrive.</summary>
    public async Task SettleAsync()
    {
        await Task.Delay(30);
        Task last;
        lock (_gate)
        {
            last = _last;
        }

        await last;
    }

    public void Dispose() => _watcher.Dispose();

    private void Trigger()
    {
        lock (_gate)
        {
            _last = _engine.ReloadAsync("watcher");
        }
    }
}
