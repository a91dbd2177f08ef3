using Molt;

namespace WebSite;

/// <summary>What the permanent part knows about reloads, for the page to show: when the handler last changed, and the engine generation.</summary>
public sealed class SiteStatus
{
    private volatile Stamp _last = new(DateTimeOffset.MinValue, 0);

    /// <summary>Gets when the last reload that changed a module finished (the first load counts).</summary>
    public DateTimeOffset LastReload => _last.At;

    /// <summary>Gets the engine generation that reload produced.</summary>
    public int Generation => _last.Generation;

    /// <summary>Gets the id of the process serving: a hot restart changes it, a reload does not.</summary>
    public int ProcessId { get; } = Environment.ProcessId;

    internal void OnReloaded(ReloadResult result)
    {
        if (result.Changes.Count > 0)
        {
            _last = new Stamp(result.StartedAt + result.Timings.Total, result.Generation);
        }
    }

    private sealed record Stamp(DateTimeOffset At, int Generation);
}
