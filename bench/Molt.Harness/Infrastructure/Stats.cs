using System.Text.Json.Nodes;

namespace Molt.Harness.Infrastructure;

/// <summary>Order statistics of a sample of durations in milliseconds (nearest-rank percentiles).</summary>
internal sealed class Stats
{
    private readonly double[] _sorted;

    public Stats(IEnumerable<double> values)
    {
        _sorted = [.. values.Order()];
        if (_sorted.Length == 0)
        {
            throw new ArgumentException("No values to summarise.", nameof(values));
        }
    }

    public int Count => _sorted.Length;

    public double Median => Percentile(50);

    public double P90 => Percentile(90);

    public double Max => _sorted[^1];

    public double Min => _sorted[0];

    public double Mean => _sorted.Average();

    public double Percentile(double p)
    {
        var rank = (int)Math.Ceiling(p / 100 * _sorted.Length);
        return _sorted[Math.Clamp(rank - 1, 0, _sorted.Length - 1)];
    }

    public JsonObject ToJson() => new()
    {
        ["n"] = Count,
        ["median_ms"] = Round(Median),
        ["p90_ms"] = Round(P90),
        ["max_ms"] = Round(Max),
        ["min_ms"] = Round(Min),
        ["mean_ms"] = Round(Mean),
    };

    public static double Round(double value) => Math.Round(value, 3);

    public override string ToString() => $"median {Median:0.0} ms, p90 {P90:0.0} ms, max {Max:0.0} ms (n={Count})";
}
