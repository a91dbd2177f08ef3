namespace Molt.Hosting.Tests;

/// <summary>Records every reload the engine reports, and lets a test wait for one.</summary>
internal sealed class ReloadLog
{
    private readonly Lock _gate = new();
    private readonly List<ReloadResult> _results = [];
    private readonly List<(Func<ReloadResult, bool> Match, TaskCompletionSource<ReloadResult> Done)> _waiters = [];

    public ReloadLog(MoltEngine engine)
    {
        engine.Reloaded += (_, e) => Add(e.Result);
        engine.ReloadFailed += (_, e) => Add(e.Result);
    }

    public IReadOnlyList<ReloadResult> Results
    {
        get
        {
            lock (_gate)
            {
                return [.. _results];
            }
        }
    }

    /// <summary>Successful reloads that changed something, after the first load.</summary>
    public IReadOnlyList<ReloadResult> Changing => [.. Results.Where(r => r.Succeeded && r.Changes.Count > 0 && r.Trigger != "start")];

    public IReadOnlyList<ReloadResult> Failures => [.. Results.Where(r => !r.Succeeded)];

    /// <summary>Waits for a reload after the first load that matches.</summary>
    public Task<ReloadResult> WaitAsync(Func<ReloadResult, bool> condition)
    {
        bool match(ReloadResult r) => r.Trigger != "start" && condition(r);
        lock (_gate)
        {
            if (_results.FirstOrDefault(match) is { } done)
            {
                return Task.FromResult(done);
            }

            var waiter = new TaskCompletionSource<ReloadResult>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((match, waiter));
            return waiter.Task.WaitAsync(TestTimeouts.Reload);
        }
    }

    private void Add(ReloadResult result)
    {
        lock (_gate)
        {
            _results.Add(result);
            foreach (var waiter in _waiters.Where(w => w.Match(result)).ToArray())
            {
                _waiters.Remove(waiter);
                waiter.Done.TrySetResult(result);
            }
        }
    }
}
