using Molt.Retirement;

namespace Molt;

public sealed partial class MoltEngine
{
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
            _metrics.Failed(result);
            if (result.Generation == 0)
            {
                // No reload ever switched (the first load failed): there is no generation to keep serving.
                Log.LoadFailed(_logger, result.Trigger, result.Error ?? "unknown");
            }
            else
            {
                Log.ReloadFailed(_logger, result.Trigger, result.Error ?? "unknown", result.Generation);
            }

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
            _metrics.Reloaded(result);
            Log.Reloaded(_logger, result.Generation, milliseconds, result.Trigger,
                string.Join(", ", result.Changes.Select(c => $"{c.Module}#{c.Generation} ({c.Kind.ToString().ToLowerInvariant()})")));
        }

        Raise(Reloaded, new ReloadEventArgs(result), nameof(Reloaded));
    }

    private void OnSwitched(SwitchedEventArgs args) => Raise(Switched, args, nameof(Switched));

    private void OnCollected(RetiredGeneration retired)
    {
        Log.GenerationCollected(_logger, retired.Module, retired.Generation);
        Raise(GenerationUnloaded, new GenerationEventArgs(retired.Module, retired.Generation, "collected"), nameof(GenerationUnloaded));
    }

    private void OnLeaked(RetiredGeneration retired, string message)
    {
        Log.GenerationLeaked(_logger, retired.Module, retired.Generation, message);
        _metrics.Leaked();
        Raise(GenerationLeaked, new GenerationEventArgs(retired.Module, retired.Generation, message), nameof(GenerationLeaked));
    }

    /// <summary>Raises an event, isolating the engine from handlers that throw.</summary>
    private void Raise<T>(EventHandler<T>? handler, T args, string name)
        where T : EventArgs
    {
        if (handler is null)
        {
            return;
        }

        foreach (var single in handler.GetInvocationList().Cast<EventHandler<T>>())
        {
            try
            {
                single(this, args);
            }
            catch (Exception ex)
            {
                Log.EventHandlerFailed(_logger, name, ex);
            }
        }
    }
}
