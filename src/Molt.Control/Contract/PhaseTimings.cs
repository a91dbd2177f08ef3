namespace Molt.Control;

/// <summary>The time each phase of a reload took, in milliseconds rounded to three decimals: <see cref="ReloadReply.Timings"/>.</summary>
public sealed record PhaseTimings
{
    /// <summary>Gets the time spent reading and hashing the module files and working out the change set (<c>scanMs</c>).</summary>
    public required double ScanMs { get; init; }

    /// <summary>Gets the time spent compiling the changed source modules (<c>compileMs</c>).</summary>
    public required double CompileMs { get; init; }

    /// <summary>Gets the time spent loading the new generation and running its load hooks (<c>loadMs</c>).</summary>
    public required double LoadMs { get; init; }

    /// <summary>Gets the time spent switching every entry point and hook to the new generation (<c>switchMs</c>).</summary>
    public required double SwitchMs { get; init; }

    /// <summary>Gets the time spent retiring the old generation: unload hooks, draining, unloading (<c>retireMs</c>).</summary>
    public required double RetireMs { get; init; }
}
