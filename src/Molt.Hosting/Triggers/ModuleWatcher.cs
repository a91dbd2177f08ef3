using Microsoft.Extensions.Logging;

namespace Molt.Hosting.Triggers;

/// <summary>
/// Watches every module directory and module path, and tells the scheduler about relevant changes.
/// Any editor save style (write in place, truncate then write, temporary file then rename, delete
/// then create) shows up as one or more events; the scheduler coalesces them.
/// </summary>
internal sealed class ModuleWatcher : IDisposable
{
    // The largest buffer FileSystemWatcher allows everywhere: fewer overflows during big bursts.
    private const int BufferBytes = 64 * 1024;

    private readonly IReadOnlyList<WatchTarget> _targets;
    private readonly ReloadScheduler _scheduler;
    private readonly ILogger _logger;
    private readonly List<FileSystemWatcher> _watchers = [];

    public ModuleWatcher(IReadOnlyList<WatchTarget> targets, ReloadScheduler scheduler, ILogger logger)
    {
        _targets = targets;
        _scheduler = scheduler;
        _logger = logger;
    }

    /// <summary>Starts watching every target.</summary>
    /// <returns><see langword="false"/> when some target could not be watched (the caller may poll instead).</returns>
    public bool Start()
    {
        var all = true;
        foreach (var target in _targets)
        {
            try
            {
                var watcher = new FileSystemWatcher(target.Directory)
                {
                    IncludeSubdirectories = target.Recursive,
                    InternalBufferSize = BufferBytes,
                    NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size,
                };
                watcher.Changed += (_, e) => OnChange(target, e.FullPath);
                watcher.Created += (_, e) => OnChange(target, e.FullPath);
                watcher.Deleted += (_, e) => OnChange(target, e.FullPath);
                watcher.Renamed += (_, e) => OnRenamed(target, e);
                watcher.Error += (_, e) => OnError(target, e.GetException());
                watcher.EnableRaisingEvents = true;
                _watchers.Add(watcher);
                Log.Watching(_logger, target.Directory, target.Recursive);
            }
            catch (Exception ex) when (ex is IOException or ArgumentException or UnauthorizedAccessException or PlatformNotSupportedException)
            {
                all = false;
                Log.WatchFailed(_logger, target.Directory, ex);
            }
        }

        return all;
    }

    public void Dispose()
    {
        foreach (var watcher in _watchers)
        {
            watcher.EnableRaisingEvents = false;
            watcher.Dispose();
        }

        _watchers.Clear();
    }

    private void OnChange(WatchTarget target, string path)
    {
        if (ChangeFilter.IsRelevant(target, path))
        {
            _scheduler.FileChanged(MidSave(path));
        }
    }

    private void OnRenamed(WatchTarget target, RenamedEventArgs e)
    {
        var to = ChangeFilter.IsRelevant(target, e.FullPath);
        var from = ChangeFilter.IsRelevant(target, e.OldFullPath);
        if (to)
        {
            // A temporary file renamed over a module file: the save is complete.
            _scheduler.FileChanged(MidSave(e.FullPath));
        }
        else if (from)
        {
            // A module file renamed to a backup or temporary name: its replacement usually follows.
            _scheduler.FileChanged(MidSave(e.OldFullPath));
        }
    }

    private void OnError(WatchTarget target, Exception exception)
    {
        // Events were lost (usually a buffer overflow): a reload re-reads and re-hashes every file, which is the full rescan.
        Log.WatcherError(_logger, target.Directory, exception);
        _scheduler.FileChanged(midSavePath: null);
    }

    private static string? MidSave(string path) => ChangeFilter.LooksMidSave(path) ? path : null;
}
