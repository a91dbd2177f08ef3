using System.Diagnostics.Metrics;

namespace Molt.Hosting;

/// <summary>
/// The triggers' metrics under the meter <c>Molt.Hosting</c>. Reloads, failures, durations and
/// generations are the engine's (meter <c>Molt</c>); these say what asked for reloads.
/// </summary>
internal sealed class HostingMetrics : IDisposable
{
    public const string MeterName = "Molt.Hosting";

    private readonly Meter _meter;
    private readonly Counter<long> _requests;
    private readonly Counter<long> _fileEvents;

    public HostingMetrics(IMeterFactory? factory)
    {
        _meter = factory?.Create(MeterName) ?? new Meter(MeterName);
        _requests = _meter.CreateCounter<long>("molt.reload.requests", unit: "{request}", description: "Reload requests by trigger, before coalescing.");
        _fileEvents = _meter.CreateCounter<long>("molt.watcher.events", unit: "{event}", description: "Relevant file events seen by the watcher, before coalescing.");
    }

    public void Requested(string trigger) => _requests.Add(1, new KeyValuePair<string, object?>("molt.reload.trigger", trigger));

    public void FileEvent() => _fileEvents.Add(1);

    public void Dispose() => _meter.Dispose();
}
