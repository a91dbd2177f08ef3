namespace Molt.Reloading;

/// <summary>
/// Runs reloads one at a time: a request that arrives while one runs joins the single follow-up
/// reload that starts when it ends, so it sees every change made until then.
/// </summary>
/// <remarks>
/// Every task it hands out completes with its continuations queued to the thread pool, never run
/// inline on the engine's thread: a caller that loops synchronously after <c>await</c> must not
/// sit on top of frames that reference the generations a reload just retired.
/// </remarks>
internal sealed class ReloadQueue(Func<string, Task<ReloadResult>> execute)
{
    private readonly Lock _gate = new();
    private readonly SortedSet<string> _triggers = new(StringComparer.Ordinal);
    private TaskCompletionSource<ReloadResult>? _queued;
    private TaskCompletionSource? _idle;
    private bool _running;

    /// <summary>Completes when no reload runs or waits (at once if none does).</summary>
    public Task WhenIdle()
    {
        lock (_gate)
        {
            return !_running ? Task.CompletedTask : (_idle ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
        }
    }

    public Task<ReloadResult> Enqueue(string trigger, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_running)
            {
                _queued ??= new TaskCompletionSource<ReloadResult>(TaskCreationOptions.RunContinuationsAsynchronously);
                _triggers.Add(trigger);
                return _queued.Task.WaitAsync(cancellationToken);
            }

            _running = true;
        }

        // Off the caller's thread: a reload is mostly synchronous compiling, and callers (signal
        // handlers, watchers, request threads) must get their thread back at once.
        var completion = new TaskCompletionSource<ReloadResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        Start(completion, trigger);
        return completion.Task.WaitAsync(cancellationToken);
    }

    private void Start(TaskCompletionSource<ReloadResult> completion, string trigger) => _ = Task.Run(async () =>
    {
        try
        {
            completion.TrySetResult(await execute(trigger).ConfigureAwait(false));
        }
        catch (Exception ex)
        {
            completion.TrySetException(ex);
        }
        finally
        {
            StartFollowUp();
        }
    });

    private void StartFollowUp()
    {
        TaskCompletionSource<ReloadResult>? next;
        string trigger;
        lock (_gate)
        {
            next = _queued;
            _queued = null;
            if (next is null)
            {
                _running = false;
                _idle?.TrySetResult();
                _idle = null;
                return;
            }

            trigger = string.Join('+', _triggers);
            _triggers.Clear();
        }

        Start(next, trigger);
    }
}
