namespace Molt.Connections;

/// <summary>
/// Which handlers of a server are busy with a line (from taking it until their next read), and
/// whether lines may be handed out. A reload pauses the hand-out and waits until no handler is
/// busy: then every handler is at a read, the state they wrote is all before the switch, and no
/// line is half processed by the old code when the new one takes over.
/// </summary>
internal sealed class DeliveryGate : IDisposable
{
    private readonly Lock _lock = new();
    private readonly HashSet<ServerConnection> _busy = [];
    private readonly ManualResetEventSlim _allIdle = new(true);
    private TaskCompletionSource _resumed = Completed();
    private bool _paused;

    /// <summary>Marks <paramref name="run"/> busy, unless the hand-out is paused.</summary>
    /// <returns>Whether it may go on; otherwise wait for <see cref="WhenResumedAsync"/>.</returns>
    public bool TryBusy(ServerConnection run)
    {
        lock (_lock)
        {
            if (_paused)
            {
                return false;
            }

            _busy.Add(run);
            _allIdle.Reset();
            return true;
        }
    }

    public void Idle(ServerConnection run)
    {
        lock (_lock)
        {
            if (_busy.Remove(run) && _busy.Count == 0)
            {
                _allIdle.Set();
            }
        }
    }

    public Task WhenResumedAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return _resumed.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Pauses the hand-out and waits until no handler is busy.</summary>
    /// <returns>The connections still busy when <paramref name="timeout"/> ran out (none when it worked).</returns>
    public IReadOnlyList<long> Pause(TimeSpan timeout)
    {
        lock (_lock)
        {
            if (!_paused)
            {
                (_paused, _resumed) = (true, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
            }
        }

        if (_allIdle.Wait(timeout))
        {
            return [];
        }

        lock (_lock)
        {
            return [.. _busy.Select(r => r.Id).Order()];
        }
    }

    public void Resume()
    {
        TaskCompletionSource resumed;
        lock (_lock)
        {
            (_paused, resumed) = (false, _resumed);
        }

        resumed.TrySetResult();
    }

    public void Dispose() => _allIdle.Dispose();

    private static TaskCompletionSource Completed()
    {
        var done = new TaskCompletionSource();
        done.SetResult();
        return done;
    }
}
