using System.Diagnostics.Metrics;

namespace Molt;

/// <summary>
/// Molt's metrics, published through <see cref="System.Diagnostics.Metrics"/> under the meter
/// <c>Molt</c>, following OpenTelemetry's conventions: durations in seconds, the outcome and the
/// error as attributes.
/// </summary>
internal sealed class MoltMetrics : IDisposable
{
    public const string MeterName = "Molt";

    private readonly Meter _meter;
    private readonly Counter<long> _reloads;
    private readonly Counter<long> _failures;
    private readonly Histogram<double> _duration;
    private readonly Counter<long> _leaks;

    public MoltMetrics(IMeterFactory? factory, Func<int> liveGenerations, Func<int> retiredGenerations)
    {
        _meter = factory?.Create(MeterName) ?? new Meter(MeterName);
        _reloads = _meter.CreateCounter<long>("molt.reloads", unit: "{reload}", description: "Reloads that succeeded and changed something.");
        _failures = _meter.CreateCounter<long>("molt.reload.failures", unit: "{reload}", description: "Reloads that failed; the previous generation kept serving.");
        _duration = _meter.CreateHistogram<double>(
            "molt.reload.duration",
            unit: "s",
            description: "Duration of reloads that changed something or failed.",
            tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 10] });
        _leaks = _meter.CreateCounter<long>("molt.generations.leaked", unit: "{generation}", description: "Retired generations still alive after the verifier's bounded collections.");
        _meter.CreateObservableGauge("molt.generations.live", liveGenerations, unit: "{generation}", description: "Module generations serving now.");
        _meter.CreateObservableGauge("molt.generations.retired", retiredGenerations, unit: "{generation}", description: "Retired generations not yet collected.");
    }

    public void Reloaded(ReloadResult result)
    {
        _reloads.Add(1);
        _duration.Record(result.Timings.Total.TotalSeconds, new KeyValuePair<string, object?>(ReloadTelemetry.Outcome, "success"));
    }

    public void Failed(ReloadResult result)
    {
        _failures.Add(1);
        _duration.Record(
            result.Timings.Total.TotalSeconds,
            new KeyValuePair<string, object?>(ReloadTelemetry.Outcome, "failure"),
            new KeyValuePair<string, object?>(ReloadTelemetry.ErrorType, ReloadTelemetry.ErrorTypeOf(result)));
    }

    public void Leaked() => _leaks.Add(1);

    public void Dispose() => _meter.Dispose();
}
