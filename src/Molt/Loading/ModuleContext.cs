using Microsoft.Extensions.Logging;

namespace Molt.Loading;

/// <summary>
/// A generation's <see cref="IModuleContext"/>. Everything registered through it is owned by the
/// generation: staged until the generation takes over, undone when it is retired.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "Release() disposes the token source when the engine retires the generation.")]
internal sealed class ModuleContext : IModuleContext
{
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _retired = new();
    private readonly List<IDisposable> _resources = [];
    private readonly List<IHookAttachment> _attachments = [];
    private readonly List<(ITimer Timer, TimeSpan Due, TimeSpan Period)> _timers = [];
    private readonly ModuleBuild _generation;
    private readonly IStateAccess _state;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private int _attachmentSequence;
    private bool _active;
    private bool _serving;
    private bool _retiredFlag;
    private int _runningTimerCallbacks;

    [ThreadStatic]
    private static ModuleContext? t_inTimerOf;

    public ModuleContext(ModuleBuild generation, bool isFirstLoad, ContextServices services)
    {
        _generation = generation;
        IsFirstLoad = isFirstLoad;
        Services = services.Services;
        _state = services.State;
        _time = services.Time;
        _logger = services.Logger;
        Files = [.. generation.Source.FilePaths];
    }

    public string ModuleName => _generation.Module;

    public int Generation => _generation.Number;

    public bool IsFirstLoad { get; }

    public object? Handover { get; private set; }

    public CancellationToken Retired => _retired.Token;

    public IServiceProvider Services { get; }

    public IReadOnlyList<string> Files { get; }

    /// <summary>Gets a value indicating whether the generation serves: switched in and not retired (outside a reload, only such a context may reach the state).</summary>
    public bool IsServing
    {
        get
        {
            lock (_gate)
            {
                return _serving && !_retiredFlag;
            }
        }
    }

    /// <summary>Marks the generation as serving: called at the switch, before anything else of it starts.</summary>
    public void MarkServing()
    {
        lock (_gate)
        {
            _serving = true;
        }
    }

    /// <summary>Gives the context what the serving generation handed over, just before the load hook runs.</summary>
    public void ReceiveHandover(object? handover) => Handover = handover;

    /// <summary>Gets the hooks this generation attached to, staged or active.</summary>
    public IReadOnlyList<IHookAttachment> Attachments
    {
        get
        {
            lock (_gate)
            {
                return [.. _attachments];
            }
        }
    }

    public void Register(IDisposable resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        lock (_gate)
        {
            if (!_retiredFlag)
            {
                _resources.Add(resource);
                return;
            }
        }

        // Registered by code still running after retirement: release it at once.
        resource.Dispose();
    }

    public void Attach<T>(Hook<T> hook, T handler)
        where T : Delegate
    {
        ArgumentNullException.ThrowIfNull(hook);
        ArgumentNullException.ThrowIfNull(handler);
        HookAttachment<T> attachment;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_retiredFlag, this);
            attachment = new HookAttachment<T>(hook, this, handler, (_generation.Source.Order * 100_000) + _attachmentSequence++);
            _attachments.Add(attachment);
            if (!_active)
            {
                return;
            }
        }

        // Attached after the switch: becomes active at once, still removed at retirement.
        attachment.Swap(static _ => false, [attachment]);
    }

    public void StartTimer(Action callback, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var timer = _time.CreateTimer(_ => RunTimer(callback), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        lock (_gate)
        {
            if (!_retiredFlag)
            {
                _timers.Add((timer, dueTime, period));
                if (_active)
                {
                    timer.Change(dueTime, period);
                }

                return;
            }
        }

        timer.Dispose();
    }

    public IPersistentState<T> State<T>(string name, Func<T> initialValue, MigrationFailurePolicy onMigrationFailure = MigrationFailurePolicy.FailReload)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(initialValue);
        return _state.Get(ModuleName, name, initialValue, onMigrationFailure, this);
    }

    public IPersistentState<T> SharedState<T>(string name, Func<T> initialValue, MigrationFailurePolicy onMigrationFailure = MigrationFailurePolicy.FailReload)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(initialValue);
        return _state.Get(null, name, initialValue, onMigrationFailure, this);
    }

    public void DropState(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        _state.Drop(ModuleName, name, this);
    }

    /// <summary>Called at the switch: starts the generation's timers (its hooks are swapped in by the engine).</summary>
    public void Activate()
    {
        lock (_gate)
        {
            _active = true;
            foreach (var (timer, due, period) in _timers)
            {
                timer.Change(due, period);
            }
        }
    }

    /// <summary>Fires the <see cref="Retired"/> token (callbacks registered on it are isolated and reported).</summary>
    public void Cancel()
    {
        lock (_gate)
        {
            _retiredFlag = true;
        }

        try
        {
            _retired.Cancel();
        }
        catch (AggregateException ex)
        {
            Log.RetiredCallbackFailed(_logger, ModuleName, Generation, ex);
        }
    }

    /// <summary>Undoes every registration: hook handlers, timers, resources (last first).</summary>
    public void Release()
    {
        List<IDisposable> resources;
        List<ITimer> timers;
        List<IHookAttachment> attachments;
        lock (_gate)
        {
            _retiredFlag = true;
            resources = [.. _resources];
            timers = [.. _timers.Select(t => t.Timer)];
            attachments = [.. _attachments];
            _resources.Clear();
            _timers.Clear();
            _attachments.Clear();
            Handover = null;
        }

        // The switch normally swapped them out already; if it failed, a retired generation's handler
        // must still never be called again, nor keep the generation in memory from a host hook.
        foreach (var attachment in attachments.DistinctBy(a => a.Hook, ReferenceEqualityComparer.Instance))
        {
            attachment.Swap(owner => ReferenceEquals(owner, this), []);
        }

        foreach (var timer in timers)
        {
            timer.Dispose();
        }

        WaitForRunningTimerCallbacks();

        for (var i = resources.Count - 1; i >= 0; i--)
        {
            try
            {
                resources[i].Dispose();
            }
            catch (Exception ex)
            {
                Log.ResourceDisposeFailed(_logger, ModuleName, Generation, ex);
            }
        }

        _retired.Dispose();
    }

    private void RunTimer(Action callback)
    {
        Interlocked.Increment(ref _runningTimerCallbacks);
        try
        {
            // A tick queued before the timer was disposed can start after it: retired code must not run.
            if (Volatile.Read(ref _retiredFlag))
            {
                return;
            }

            t_inTimerOf = this;
            callback();
        }
        catch (Exception ex)
        {
            // A timer callback that throws on the thread pool would end the process; report it instead.
            Log.TimerCallbackFailed(_logger, ModuleName, Generation, ex);
        }
        finally
        {
            t_inTimerOf = null;
            Interlocked.Decrement(ref _runningTimerCallbacks);
        }
    }

    /// <summary>
    /// A callback that started before retirement finishes before the generation counts as retired,
    /// so no tick of old code lands after the new generation's (bounded; never from inside one).
    /// </summary>
    private void WaitForRunningTimerCallbacks()
    {
        if (ReferenceEquals(t_inTimerOf, this))
        {
            return;
        }

        Interlocked.MemoryBarrier();
        SpinWait.SpinUntil(() => Volatile.Read(ref _runningTimerCallbacks) == 0, TimeSpan.FromSeconds(1));
    }
}
