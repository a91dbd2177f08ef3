using Microsoft.Extensions.Logging;

namespace Molt.Hosting.Triggers;

/// <summary>
/// The one loop that turns trigger requests (file events, polls, signals, retries) into engine
/// reloads. Requests that arrive while a reload runs collapse into one follow-up; file events
/// first wait for their burst to settle.
/// </summary>
internal sealed class ReloadScheduler : IAsyncDisposable
{
    private static readonly TimeSpan HalfSavedRecheck = TimeSpan.FromMilliseconds(10);

    private readonly MoltEngine _engine;
    private readonly MoltHostingOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly HostingMetrics _metrics;
    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly Lock _gate = new();
    private readonly SortedSet<string> _pending = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private bool _filesPending;
    private string? _midSavePath;
    private long _lastFileEvent;
    private DateTimeOffset _lastFileEventUtc = DateTimeOffset.MinValue;
    private ITimer? _retry;
    private Task _loop = Task.CompletedTask;
    private int _disposed;

    public ReloadScheduler(MoltEngine engine, MoltHostingOptions options, ILogger logger, HostingMetrics metrics)
    {
        _engine = engine;
        _options = options;
        _time = options.Engine.TimeProvider;
        _logger = logger;
        _metrics = metrics;
        _engine.Reloaded += OnReloaded;
        _engine.ReloadFailed += OnReloadFailed;
    }

    /// <summary>Starts the loop; requests made before are kept and served at once.</summary>
    public void Start() => _loop = Task.Run(() => RunAsync(_stopping.Token));

    /// <summary>Asks for a reload now (signal, poll, retry).</summary>
    public void Request(string trigger)
    {
        lock (_gate)
        {
            _pending.Add(trigger);
        }

        _metrics.Requested(trigger);
        Wake();
    }

    /// <summary>Records a relevant file change; the reload waits until the burst settles.</summary>
    /// <param name="midSavePath">The path the change left looking half-saved (gone or empty), or <see langword="null"/>.</param>
    /// <param name="trigger">Who saw it: <c>watcher</c> or <c>poll</c>.</param>
    public void FileChanged(string? midSavePath, string trigger = "watcher")
    {
        lock (_gate)
        {
            _pending.Add(trigger);
            _filesPending = true;
            _midSavePath = midSavePath;
            _lastFileEvent = _time.GetTimestamp();
            _lastFileEventUtc = _time.GetUtcNow();
        }

        _metrics.FileEvent();
        Wake();
    }

    /// <summary>
    /// Whether <paramref name="result"/>'s failure is superseded: a file event arrived after its
    /// reload started, and a file it read has changed since, so a follow-up reload already has the
    /// newer files. (Late events of the very save it read do not count: the follow-up would find
    /// the same files and repeat the failure without a word, and it would never be shown.)
    /// </summary>
    public bool IsSuperseded(ReloadResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        lock (_gate)
        {
            if (_lastFileEventUtc <= result.StartedAt)
            {
                return false;
            }
        }

        return MoltEngine.FilesChangedSince(result);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _engine.Reloaded -= OnReloaded;
        _engine.ReloadFailed -= OnReloadFailed;
        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        lock (_gate)
        {
            _retry?.Dispose();
            _retry = null;
        }

        _stopping.Dispose();
    }

    private void Wake()
    {
        // At most one pending wake-up: the loop takes every pending request at once.
        lock (_gate)
        {
            if (_wake.CurrentCount == 0)
            {
                _wake.Release();
            }
        }
    }

    private async Task RunAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            await _wake.WaitAsync(stopping).ConfigureAwait(false);
            await SettleAsync(stopping).ConfigureAwait(false);
            string trigger;
            lock (_gate)
            {
                if (_pending.Count == 0)
                {
                    continue;
                }

                trigger = string.Join('+', _pending);
                _pending.Clear();
                _filesPending = false;
            }

            try
            {
                await _engine.ReloadAsync(trigger, stopping).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException && stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // A reload reports its failures in its result; anything thrown is a bug, never a reason to stop reloading.
                Log.ReloadThrew(_logger, trigger, ex);
            }
        }
    }

    /// <summary>Waits until no file event has arrived for the settle window (longer when the files look half-saved).</summary>
    private async Task SettleAsync(CancellationToken stopping)
    {
        while (true)
        {
            TimeSpan wait;
            string? midSavePath;
            lock (_gate)
            {
                if (!_filesPending)
                {
                    return;
                }

                midSavePath = _midSavePath;
            }

            // Looked at again now: the event that completed the save may have been merged into an earlier one.
            var halfSaved = midSavePath is not null && ChangeFilter.LooksMidSave(midSavePath);
            lock (_gate)
            {
                if (!_filesPending)
                {
                    return;
                }

                if (!ReferenceEquals(midSavePath, _midSavePath))
                {
                    continue;
                }

                var window = halfSaved ? _options.MidSaveGrace : _options.SettleWindow;
                var quiet = _time.GetElapsedTime(_lastFileEvent);
                if (quiet >= window)
                {
                    return;
                }

                // While half-saved, look again soon: the save usually completes within milliseconds.
                wait = halfSaved ? TimeSpan.FromTicks(Math.Min((window - quiet).Ticks, HalfSavedRecheck.Ticks)) : window - quiet;
            }

            await Task.Delay(wait, _time, stopping).ConfigureAwait(false);
        }
    }

    private void OnReloaded(object? sender, ReloadEventArgs e)
    {
        lock (_gate)
        {
            _retry?.Dispose();
            _retry = null;
        }
    }

    private void OnReloadFailed(object? sender, ReloadEventArgs e)
    {
        if (_options.RetryDelay is not { } delay || Volatile.Read(ref _disposed) != 0)
        {
            return;
        }

        lock (_gate)
        {
            _retry?.Dispose();
            _retry = _time.CreateTimer(static state => ((ReloadScheduler)state!).Request("retry"), this, delay, Timeout.InfiniteTimeSpan);
        }

        Log.RetryScheduled(_logger, delay.TotalMilliseconds);
    }
}
