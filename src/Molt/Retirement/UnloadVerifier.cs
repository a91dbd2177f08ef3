namespace Molt.Retirement;

/// <summary>
/// Proves, in the background and off the reload's critical path, that retired generations are
/// collected: it watches a weak reference to each one's load context and, while any is alive,
/// induces a bounded number of collections spread over a bounded time. A generation still alive
/// after that is reported as leaked, with what usually holds one. An induced collection waits
/// (up to <see cref="MaxWaitForIdle"/>) until no reload runs: a full blocking collection pauses
/// every thread, and would add itself to the next reload's compile when reloads come back to back.
/// </summary>
internal sealed class UnloadVerifier(MoltOptions options, Action<RetiredGeneration> collected, Action<RetiredGeneration, string> leaked, Func<Task>? whenNoReloadRuns = null)
{
    private static readonly TimeSpan MaxWaitForIdle = TimeSpan.FromSeconds(1);

    internal const string Suspects =
        "something outside the generation still references its code or objects. Usual suspects: a static event " +
        "in the host (or the framework) that a module subscribed to and never unsubscribed; a thread, timer or task " +
        "the module started that is still running (stop it on IModuleContext.Retired, or use IModuleContext.StartTimer); " +
        "a cache holding its types or instances (a static dictionary in the host, serializer caches, ThreadStatic fields); " +
        "an exception or delegate from the module kept by the host. Use 'dotnet-dump analyze' with 'dumpheap -type' and 'gcroot' to find the path.";

    private static readonly TimeSpan WatchInterval = TimeSpan.FromMilliseconds(100);

    private readonly Lock _gate = new();
    private readonly List<RetiredGeneration> _pending = [];
    private Task _loop = Task.CompletedTask;

    public IReadOnlyList<RetiredGeneration> Alive
    {
        get
        {
            lock (_gate)
            {
                return [.. _pending, .. _leaked];
            }
        }
    }

    private readonly List<RetiredGeneration> _leaked = [];

    public void Track(RetiredGeneration retired)
    {
        lock (_gate)
        {
            _pending.Add(retired);
            if (_loop.IsCompleted)
            {
                _loop = Task.Run(RunAsync);
            }
        }
    }

    /// <summary>Forgets leaked generations that were collected after all (checked when asked for).</summary>
    public void Recheck()
    {
        lock (_gate)
        {
            _leaked.RemoveAll(r => !r.Context.IsAlive);
        }
    }

    /// <summary>Waits until every tracked generation is collected or declared leaked.</summary>
    public Task WhenIdleAsync()
    {
        lock (_gate)
        {
            return _loop;
        }
    }

    private async Task RunAsync()
    {
        var delay = TimeSpan.FromMilliseconds(5);
        var collections = 0;
        while (true)
        {
            // Let natural collections do the work first; then induce one, bounded in count.
            await Task.Delay(delay, options.TimeProvider).ConfigureAwait(false);
            if (collections < options.UnloadVerificationCollections)
            {
                await WaitForNoReloadAsync().ConfigureAwait(false);
                GC.Collect();
                GC.WaitForPendingFinalizers();
                collections++;
            }

            List<RetiredGeneration> done = [];
            lock (_gate)
            {
                foreach (var retired in _pending)
                {
                    retired.Collections++;
                    if (!retired.Context.IsAlive)
                    {
                        retired.Status = RetiredStatus.Collected;
                        done.Add(retired);
                    }
                    else if (retired.Collections >= options.UnloadVerificationCollections
                             && options.TimeProvider.GetUtcNow() - retired.RetiredAt >= options.UnloadVerificationTimeout)
                    {
                        retired.Status = RetiredStatus.Leaked;
                        _leaked.Add(retired);
                        done.Add(retired);
                    }
                }

                _pending.RemoveAll(done.Contains);
                if (_pending.Count == 0)
                {
                    // Completing under the lock: Track sees a completed loop and starts a new one.
                    _loop = Task.CompletedTask;
                    NotifyAll(done);
                    return;
                }
            }

            NotifyAll(done);
            delay = NextDelay(delay, ref collections);
        }
    }

    /// <summary>Spreads the induced collections over the timeout; with none to induce, looks every 100 ms.</summary>
    private TimeSpan NextDelay(TimeSpan delay, ref int collections)
    {
        var induce = options.UnloadVerificationCollections;
        if (induce == 0)
        {
            return TimeSpan.FromTicks(Math.Min(WatchInterval.Ticks, options.UnloadVerificationTimeout.Ticks));
        }

        if (collections >= induce)
        {
            // Out of induced collections: only natural ones from here, checked at the timeout.
            collections = 0;
            return options.UnloadVerificationTimeout;
        }

        var remaining = options.UnloadVerificationTimeout / induce;
        return TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, Math.Max(remaining.Ticks, TimeSpan.FromMilliseconds(5).Ticks)));
    }

    /// <summary>Bounded: a module could be waiting on the verifier from inside a reload.</summary>
    private async Task WaitForNoReloadAsync()
    {
        if (whenNoReloadRuns?.Invoke() is { IsCompleted: false } idle)
        {
            await Task.WhenAny(idle, Task.Delay(MaxWaitForIdle, options.TimeProvider)).ConfigureAwait(false);
        }
    }

    /// <summary>The host's static field found holding the generation, if any; the weak reference is read only here.</summary>
    private static string Holder(RetiredGeneration retired)
    {
        try
        {
            return retired.Context.Target is System.Runtime.Loader.AssemblyLoadContext context && LeakHolders.Find(context) is { } holder
                ? $"it is reached from the static field {holder}. "
                : string.Empty;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Looking is best effort: the report goes out without it.
            return string.Empty;
        }
    }

    private void NotifyAll(List<RetiredGeneration> done)
    {
        foreach (var retired in done)
        {
            if (retired.Status == RetiredStatus.Collected)
            {
                collected(retired);
            }
            else
            {
                leaked(retired, $"{retired.Module}#{retired.Generation} is still in memory {retired.Collections} collections and " +
                    $"{(options.TimeProvider.GetUtcNow() - retired.RetiredAt).TotalSeconds:F1} s after it was unloaded: {Holder(retired)}{Suspects}");
            }
        }
    }
}
