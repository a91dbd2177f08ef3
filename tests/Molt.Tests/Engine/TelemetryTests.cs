using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Molt.Tests.Infrastructure;

namespace Molt.Tests.Engine;

/// <summary>
/// What an OpenTelemetry collector sees of reloads: a <c>molt.reload</c> span from the activity
/// source <c>Molt</c>, and the <c>molt.reload.duration</c> histogram in seconds, from the meter
/// factory the host gives (so other engines' meters in the process are not mixed in).
/// </summary>
public sealed class TelemetryTests
{
    private const string Versioned = "public static class V { [Export] public static int Version() => VERSION; }";

    [Fact]
    public async Task EachReloadIsASpanWithItsPhasesAndADurationInSecondsWithItsOutcome()
    {
        var trigger = "telemetry-" + Guid.NewGuid().ToString("N")[..8];
        var spans = new ConcurrentQueue<Activity>();
        using var activities = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Molt",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a =>
            {
                if (Equals(a.GetTagItem("molt.reload.trigger"), trigger))
                {
                    spans.Enqueue(a);
                }
            },
        };
        ActivitySource.AddActivityListener(activities);

        using var factory = new TestMeterFactory();
        var durations = new ConcurrentQueue<(double Seconds, Dictionary<string, object?> Tags, string? Unit)>();
        using var meters = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Scope == factory && instrument.Name == "molt.reload.duration")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        meters.SetMeasurementEventCallback<double>((instrument, value, tags, _) =>
            durations.Enqueue((value, tags.ToArray().ToDictionary(t => t.Key, t => t.Value), instrument.Unit)));
        meters.Start();

        await using var workspace = new ModuleWorkspace();
        workspace.Write("v.cs", Versioned.Replace("VERSION", "1", StringComparison.Ordinal));
        var engine = await workspace.StartAsync(o => o.MeterFactory = factory);

        workspace.Write("v.cs", Versioned.Replace("VERSION", "2", StringComparison.Ordinal));
        Assert.True((await engine.ReloadAsync(trigger).WaitAsync(TestTimeouts.Reload)).Succeeded);
        workspace.Write("v.cs", Versioned.Replace("VERSION", "3;", StringComparison.Ordinal));
        Assert.False((await engine.ReloadAsync(trigger).WaitAsync(TestTimeouts.Reload)).Succeeded);

        var (good, bad) = (spans.ElementAt(0), spans.ElementAt(1));
        Assert.Equal(2, spans.Count);
        Assert.Equal("molt.reload", good.OperationName);
        Assert.Equal("success", good.GetTagItem("molt.reload.outcome"));
        Assert.Equal(["v"], (string[])good.GetTagItem("molt.reload.modules")!);
        Assert.Equal(2, good.GetTagItem("molt.reload.generation"));
        Assert.InRange((double)good.GetTagItem("molt.reload.compile.duration")!, 1e-6, 60);
        Assert.Equal(ActivityStatusCode.Unset, good.Status);
        Assert.Equal("failure", bad.GetTagItem("molt.reload.outcome"));
        Assert.Equal(ActivityStatusCode.Error, bad.Status);
        Assert.StartsWith("CS", (string)bad.GetTagItem("error.type")!, StringComparison.Ordinal);

        // The first load is measured too: success, then success, then failure.
        Assert.Equal(["success", "success", "failure"], durations.Select(d => d.Tags["molt.reload.outcome"]));
        Assert.All(durations, d => Assert.Equal("s", d.Unit));
        Assert.All(durations, d => Assert.InRange(d.Seconds, 1e-6, 60));
        Assert.Equal(bad.GetTagItem("error.type"), durations.Last().Tags["error.type"]);
    }

    private sealed class TestMeterFactory : IMeterFactory
    {
        private readonly List<Meter> _meters = [];

        public Meter Create(MeterOptions options)
        {
            var meter = new Meter(options.Name, options.Version, options.Tags, scope: this);
            _meters.Add(meter);
            return meter;
        }

        public void Dispose() => _meters.ForEach(m => m.Dispose());
    }
}
