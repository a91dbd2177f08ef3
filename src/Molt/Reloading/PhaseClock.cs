using System.Diagnostics;

namespace Molt.Reloading;

/// <summary>Times the phases of one reload.</summary>
internal sealed class PhaseClock
{
    private readonly long _start = Stopwatch.GetTimestamp();
    private long _last;
    private TimeSpan _scan;
    private TimeSpan _compile;
    private TimeSpan _load;
    private TimeSpan _switch;
    private TimeSpan _retire;

    public PhaseClock() => _last = _start;

    public void EndScan() => _scan = Lap();

    public void EndCompile() => _compile = Lap();

    public void EndLoad() => _load = Lap();

    public void EndSwitch() => _switch = Lap();

    public void EndRetire() => _retire = Lap();

    public ReloadTimings Timings() => new(_scan, _compile, _load, _switch, _retire, Stopwatch.GetElapsedTime(_start));

    private TimeSpan Lap()
    {
        var now = Stopwatch.GetTimestamp();
        var lap = Stopwatch.GetElapsedTime(_last, now);
        _last = now;
        return lap;
    }
}
