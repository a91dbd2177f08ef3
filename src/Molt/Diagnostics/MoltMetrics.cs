using System.Diagnostics.Metrics;

namespace Molt;

/// <summary>Molt's metrics, published through <see cref="System.Diagnostics.Metrics"/> under the meter <c>Molt</c>.</summary>
internal sealed class MoltMetrics : IDisposable
{
    public const string MeterName = "Molt";

    private readonly Meter _meter = new(MeterName);
    private readonly Counter<long> _reloads;
    private readonly Counter<long> _failures;
    private readonly Histogram<double> _duration;
    private readonly Counter<long> _leaks;

    public MoltMetrics(Func<int> liveGenerations, Func<int> retiredGenerations)
    {
        _reloads = _meter.CreateCounter<long>("molt.reloads", description: "Reloads that succeeded and changed something.");
        _failures = _meter.CreateCounter<long>("molt.reload.failures", description: "Reloads that failed; the previous generation kept serving.");
        _duration = _meter.CreateHistogram<double>("molt.reload.duration", unit: "ms", description: "Duration of reloads that changed something or failed.");
        _leaks = _meter.CreateCounter<long>("molt.generations.leaked", description: "Retired generations still alive after the verifier's bounded collections.");
        _meter.CreateObservableGauge("molt.generations.live", liveGenerations, description: "Module generations serving now.");
        _meter.CreateObservableGauge("molt.generations.retired", retiredGenerations, description: "Retired generations not yet collected.");
    }

    public void Reloaded(double milliseconds)
    {
        _reloads.Add(1);
        _duration.Record(milliseconds);
    }

    public void Failed(double milliseconds)
    {
        _failures.Add(1);
        _duration.Record(milliseconds);
    }

    public void Leaked() => _leaks.Add(1);

    public void Dispose() => _meter.Dispose();
}
