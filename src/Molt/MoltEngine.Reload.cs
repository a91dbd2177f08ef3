namespace Molt;

public sealed partial class MoltEngine
{
    private readonly SemaphoreSlim _reloadGate = new(1, 1);
    private readonly Lock _queueGate = new();
    private readonly SortedSet<string> _queuedTriggers = new(StringComparer.Ordinal);
    private TaskCompletionSource<ReloadResult>? _queued;
    private bool _running;

    /// <summary>
    /// Reloads whatever changed on disk, as one transaction, and returns what happened. When a
    /// reload is already running, the request joins the single follow-up reload that starts when
    /// it ends (so it sees every change made until then).
    /// </summary>
    /// <param name="trigger">What asks for the reload, for results and logs (<c>api</c> when <see langword="null"/>).</param>
    /// <param name="cancellationToken">Stops waiting for the result; a reload that started runs to its end.</param>
    /// <returns>The reload's result; a failed reload changed nothing.</returns>
    public Task<ReloadResult> ReloadAsync(string? trigger = null, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        trigger ??= "api";
        lock (_queueGate)
        {
            if (_running)
            {
                _queued ??= new TaskCompletionSource<ReloadResult>(TaskCreationOptions.RunContinuationsAsynchronously);
                _queuedTriggers.Add(trigger);
                return _queued.Task.WaitAsync(cancellationToken);
            }

            _running = true;
        }

        // Off the caller's thread: a reload is mostly synchronous compiling, and callers (signal
        // handlers, watchers, request threads) must get their thread back at once.
        return Task.Run(() => RunAsync(trigger), CancellationToken.None).WaitAsync(cancellationToken);
    }

    private async Task<ReloadResult> RunAsync(string trigger)
    {
        try
        {
            return await ExecuteAsync(trigger).ConfigureAwait(false);
        }
        finally
        {
            StartFollowUp();
        }
    }

    private void StartFollowUp()
    {
        TaskCompletionSource<ReloadResult>? next;
        string trigger;
        lock (_queueGate)
        {
            next = _queued;
            _queued = null;
            if (next is null)
            {
                _running = false;
                return;
            }

            trigger = string.Join('+', _queuedTriggers);
            _queuedTriggers.Clear();
        }

        _ = Task.Run(async () =>
        {
            try
            {
                next.TrySetResult(await RunAsync(trigger).ConfigureAwait(false));
            }
            catch (Exception ex)
            {
                next.TrySetException(ex);
            }
        });
    }

    private async Task<ReloadResult> ExecuteAsync(string trigger)
    {
        await _reloadGate.WaitAsync().ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
            s_inReload.Value = true;
            var result = await TransactAsync(trigger).ConfigureAwait(false);
            Finish(result);
            return result;
        }
        finally
        {
            s_inReload.Value = false;
            _reloadGate.Release();
        }
    }

    private void Finish(ReloadResult result)
    {
        if (result.Repeated)
        {
            return;
        }

        Volatile.Write(ref _lastResult, result);
        var milliseconds = result.Timings.Total.TotalMilliseconds;
        if (!result.Succeeded)
        {
            _metrics.Failed(milliseconds);
            Log.ReloadFailed(_logger, result.Trigger, result.Error ?? "unknown", result.Generation);
            foreach (var error in result.Errors)
            {
                Log.Diagnostic(_logger, error.ToString());
            }

            Raise(ReloadFailed, new ReloadEventArgs(result), nameof(ReloadFailed));
            return;
        }

        if (result.Changes.Count == 0)
        {
            Log.NothingChanged(_logger, result.Trigger);
        }
        else
        {
            _metrics.Reloaded(milliseconds);
            Log.Reloaded(_logger, result.Generation, milliseconds, result.Trigger,
                string.Join(", ", result.Changes.Select(c => $"{c.Module}#{c.Generation} ({c.Kind.ToString().ToLowerInvariant()})")));
        }

        Raise(Reloaded, new ReloadEventArgs(result), nameof(Reloaded));
    }
}
