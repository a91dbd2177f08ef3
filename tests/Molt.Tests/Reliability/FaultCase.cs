using Molt.Reloading;

namespace Molt.Tests.Reliability;

/// <summary>What is injected: an exception of some kind, or (for phases bounded by LoadTimeout) a hang past the timeout.</summary>
internal enum FaultKind
{
    InvalidOperation,
    OutOfMemory,
    ThreadInterrupted,
    IO,
    HugeMessage,
    Hang,
}

/// <summary>One row of the fault table: a fault in one phase of a reload, and what the reload must report.</summary>
/// <param name="Phase">Where the fault is injected.</param>
/// <param name="Kind">What is injected.</param>
/// <param name="Id">The id of the diagnostic that must report it: an error when the reload fails, a warning when it succeeds.</param>
/// <param name="Succeeds">Whether the reload must succeed: the fault came after the point of no return.</param>
/// <param name="Discarded">The candidate generations the failed reload loaded, which must be unloaded.</param>
internal sealed record FaultCase(ReloadPhase Phase, FaultKind Kind, string Id, bool Succeeds, string[] Discarded)
{
    /// <summary>The load timeout of the hang rows: long enough for a normal load on a busy machine.</summary>
    public static readonly TimeSpan HangTimeout = TimeSpan.FromSeconds(1.5);

    /// <summary>
    /// How long a hang lasts: well past <see cref="HangTimeout"/>, because the timeout is a timer on the
    /// thread pool, which a busy test run can starve for seconds (the hook then finishes first; CI saw it
    /// with a 5 s hang: the reload succeeded).
    /// </summary>
    public static readonly TimeSpan HangFor = TimeSpan.FromSeconds(10);

    public string Name => $"{Phase} {Kind}";

    /// <summary>Gets the text every injected fault's message starts with, which the diagnostic must carry.</summary>
    public string Marker => $"injected {Kind} at {Phase}";

    public void Arm(ReloadFaults faults)
    {
        if (Kind == FaultKind.Hang)
        {
            faults.Hang(Phase, HangFor);
            return;
        }

        var message = Marker;
        faults.Throw(Phase, () => Kind switch
        {
            FaultKind.InvalidOperation => new InvalidOperationException(message),
#pragma warning disable CA2201 // Reserved by the runtime: thrown here on purpose, as a real one would surface.
            FaultKind.OutOfMemory => new OutOfMemoryException(message),
#pragma warning restore CA2201
            FaultKind.ThreadInterrupted => new ThreadInterruptedException(message),
            FaultKind.IO => new IOException(message),
            FaultKind.HugeMessage => new InvalidOperationException(message + ": " + new string('x', 1 << 20)),
            _ => throw new InvalidOperationException($"No exception for {Kind}."),
        });
    }

    public override string ToString() => Name;
}
