using System.Collections.Concurrent;

namespace Molt.Reloading;

/// <summary>
/// A test seam (<see cref="MoltOptions.Faults"/>): makes a phase of the next reload throw, or hang,
/// once. Production code only ever calls <see cref="Hit"/>, which does nothing unless armed.
/// </summary>
internal sealed class ReloadFaults
{
    private readonly ConcurrentDictionary<ReloadPhase, Func<Exception?>> _armed = new();

    /// <summary>Makes the next pass through <paramref name="phase"/> throw what <paramref name="fault"/> returns.</summary>
    public void Throw(ReloadPhase phase, Func<Exception> fault) => _armed[phase] = fault;

    /// <summary>Makes the next pass through <paramref name="phase"/> block for <paramref name="duration"/>.</summary>
    public void Hang(ReloadPhase phase, TimeSpan duration) => _armed[phase] = () =>
    {
        Thread.Sleep(duration);
        return null;
    };

    /// <summary>Makes the next pass through <paramref name="phase"/> run <paramref name="action"/> (a file saved mid-reload, say).</summary>
    public void Run(ReloadPhase phase, Action action) => _armed[phase] = () =>
    {
        action();
        return null;
    };

    /// <summary>Gets a value indicating whether a fault is still armed (it was not reached).</summary>
    public bool IsArmed(ReloadPhase phase) => _armed.ContainsKey(phase);

    public void Hit(ReloadPhase phase)
    {
        if (!_armed.IsEmpty && _armed.TryRemove(phase, out var fault) && fault() is { } exception)
        {
            throw exception;
        }
    }
}
