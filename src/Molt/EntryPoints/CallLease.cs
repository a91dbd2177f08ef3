using Molt.EntryPoints;
using Molt.Loading;

namespace Molt;

/// <summary>A tracked call into a module generation; dispose it when the call returns.</summary>
/// <typeparam name="T">The delegate or service type.</typeparam>
public readonly struct CallLease<T> : IDisposable, IEquatable<CallLease<T>>
    where T : class
{
    private readonly Generation? _owner;
    private readonly ThreadCalls? _calls;
    private readonly int _slot;

    internal CallLease(T target, TrackedCall call)
    {
        Target = target;
        _owner = call.Owner;
        _calls = call.Calls;
        _slot = call.Slot;
    }

    /// <summary>Gets the delegate or instance to call.</summary>
    public T Target { get; }

    /// <summary>Ends the tracked call.</summary>
    public void Dispose()
    {
        // The thread's record first: once the count reaches zero a switch may stage, and this
        // thread must not pass for being inside a call by then.
        _calls?.Remove(_slot);
        _owner?.ExitCall();
    }

    /// <inheritdoc/>
    public bool Equals(CallLease<T> other) => ReferenceEquals(Target, other.Target) && ReferenceEquals(_owner, other._owner);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is CallLease<T> other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Target, _owner);

    /// <summary>Compares two leases.</summary>
    /// <param name="left">The first lease.</param>
    /// <param name="right">The second lease.</param>
    /// <returns>Whether they are the same call.</returns>
    public static bool operator ==(CallLease<T> left, CallLease<T> right) => left.Equals(right);

    /// <summary>Compares two leases.</summary>
    /// <param name="left">The first lease.</param>
    /// <param name="right">The second lease.</param>
    /// <returns>Whether they differ.</returns>
    public static bool operator !=(CallLease<T> left, CallLease<T> right) => !left.Equals(right);
}
