namespace Molt.Harness.Infrastructure;

/// <summary>
/// A log-linear histogram of durations in nanoseconds (32 sub-buckets per power of two, so
/// about 3 % resolution), cheap enough to record every call of a flat-out loop.
/// </summary>
internal sealed class Histogram
{
    private const int SubBits = 5;
    private const int Linear = 1 << (SubBits + 1);
    private readonly long[] _counts = new long[Linear + (64 * (1 << SubBits))];

    public long Count { get; private set; }

    public void Record(long nanoseconds)
    {
        _counts[Index(Math.Max(0, nanoseconds))]++;
        Count++;
    }

    public void Add(Histogram other)
    {
        for (var i = 0; i < _counts.Length; i++)
        {
            _counts[i] += other._counts[i];
        }

        Count += other.Count;
    }

    /// <summary>The upper bound of the bucket holding the <paramref name="p"/>-th percentile, in nanoseconds.</summary>
    public long Percentile(double p)
    {
        var rank = (long)Math.Ceiling(p / 100 * Count);
        long seen = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            seen += _counts[i];
            if (seen >= rank && _counts[i] > 0)
            {
                return UpperBound(i);
            }
        }

        return 0;
    }

    public long Max()
    {
        for (var i = _counts.Length - 1; i >= 0; i--)
        {
            if (_counts[i] > 0)
            {
                return UpperBound(i);
            }
        }

        return 0;
    }

    private static int Index(long value)
    {
        if (value < Linear)
        {
            return (int)value;
        }

        var exponent = 63 - (int)long.LeadingZeroCount(value); // >= SubBits + 1
        var sub = (int)(value >> (exponent - SubBits)) & ((1 << SubBits) - 1);
        return Linear + ((exponent - SubBits - 1) * (1 << SubBits)) + sub;
    }

    private static long UpperBound(int index)
    {
        if (index < Linear)
        {
            return index;
        }

        var exponent = ((index - Linear) >> SubBits) + SubBits + 1;
        var sub = (index - Linear) & ((1 << SubBits) - 1);
        return ((long)((1 << SubBits) + sub + 1) << (exponent - SubBits)) - 1;
    }
}
