namespace Molt.Reloading;

/// <summary>Times the phases of one reload, on the engine's <see cref="TimeProvider"/>.</summary>
internal sealed class PhaseClock(TimeProvider time)
{
    private readonly long _start = time.GetTimestamp();
    private long _last = -1;
    private TimeSpan _scan;
    private TimeSpan _compile;
    private TimeSpan _load;
    private TimeSpan _switch;
    private TimeSpan _retire;

    public void EndScan() => _scan = Lap();

    public void EndCompile() => _compile = Lap();

    public void EndLoad() => _load = Lap();

    public void EndSwitch() => _switch = Lap();

    public void EndRetire() => _retire = Lap();

    public ReloadTimings Timings() => new(_scan, _compile, _load, _switch, _retire, time.GetElapsedTime(_start));

    private TimeSpan Lap()
    {
        var now = time.GetTimestamp();
        var lap = time.GetElapsedTime(_last < 0 ? _start : _last, now);
        _last = now;
        return lap;
    }
}
