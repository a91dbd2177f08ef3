namespace Molt.Tests.Reliability;

/// <summary>
/// What the host of the fault-injection tests offers its modules, one per engine: a host hook the
/// modules attach to and a tick counter their timers write to (never statics: rows run in parallel).
/// </summary>
public sealed class FaultHost : IServiceProvider
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, int> _ticks = new(StringComparer.Ordinal);
    private readonly List<(string Label, int AtLeast, TaskCompletionSource Done)> _waiters = [];

    /// <summary>Gets a host hook: every attached handler adds its generation's label to the list it is given.</summary>
    public Hook<Action<List<string>>> Ping { get; } = new("ping");

    public object? GetService(Type serviceType) => serviceType == typeof(FaultHost) ? this : null;

    /// <summary>Called by the modules' timers.</summary>
    public void Tick(string label)
    {
        lock (_gate)
        {
            var count = _ticks[label] = _ticks.GetValueOrDefault(label) + 1;
            foreach (var waiter in _waiters.Where(w => w.Label == label && count >= w.AtLeast).ToArray())
            {
                _waiters.Remove(waiter);
                waiter.Done.TrySetResult();
            }
        }
    }

    public int Ticks(string label)
    {
        lock (_gate)
        {
            return _ticks.GetValueOrDefault(label);
        }
    }

    /// <summary>Waits until the timer labelled <paramref name="label"/> has ticked <paramref name="atLeast"/> times in all.</summary>
    public Task WaitForTicksAsync(string label, int atLeast)
    {
        lock (_gate)
        {
            if (_ticks.GetValueOrDefault(label) >= atLeast)
            {
                return Task.CompletedTask;
            }

            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((label, atLeast, done));
            return WithTimeoutAsync(done.Task, label, atLeast);
        }
    }

    private async Task WithTimeoutAsync(Task done, string label, int atLeast)
    {
        try
        {
            await done.WaitAsync(Infrastructure.TestTimeouts.Reload);
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"The timer of {label} ticked {Ticks(label)} times, not {atLeast}, within {Infrastructure.TestTimeouts.Reload}.", ex);
        }
    }

    /// <summary>Calls every handler attached to <see cref="Ping"/>; returns the labels of the generations that answered.</summary>
    public List<string> Pings()
    {
        var seen = new List<string>();
        Ping.InvokeAll(handler => handler(seen));
        return seen;
    }
}
