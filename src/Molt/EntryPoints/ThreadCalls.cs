using Molt.Loading;

namespace Molt.EntryPoints;

/// <summary>
/// The generations a thread is inside a tracked call of. A switch that quiesces holds new tracked
/// calls and waits for the running ones; a call made inside one of those (a host service the
/// module calls back, that calls the module again) must not be held, or the switch would wait
/// for a call that waits for the switch. Kept per thread, not per async flow: an
/// <see cref="AsyncLocal{T}"/> write would cost more than the tracked call itself. A nested call
/// made after an <c>await</c> on another thread is still held, and the switch gives up waiting
/// after <see cref="MoltOptions.DrainTimeout"/>.
/// </summary>
internal sealed class ThreadCalls
{
    // Calls nest a few deep at most; deeper ones are simply not recorded (and so may be held).
    private const int Depth = 8;

    [ThreadStatic]
    private static ThreadCalls? t_current;

    private readonly Generation?[] _owners = new Generation?[Depth];

    public static ThreadCalls Current => t_current ??= new ThreadCalls();

    /// <summary>Records a call into <paramref name="owner"/> on this thread; returns its slot, or -1 when too deep.</summary>
    /// <remarks>Only the thread itself fills slots; any thread may empty one (a lease disposed after an await).</remarks>
    public int Add(Generation owner)
    {
        var owners = _owners;
        for (var i = 0; i < owners.Length; i++)
        {
            if (Volatile.Read(ref owners[i]) is null)
            {
                owners[i] = owner;
                return i;
            }
        }

        return -1;
    }

    /// <summary>Ends the call recorded in <paramref name="slot"/>, from whatever thread disposes its lease.</summary>
    public void Remove(int slot)
    {
        if (slot >= 0)
        {
            Volatile.Write(ref _owners[slot], null);
        }
    }

    /// <summary>Whether this thread is inside a tracked call of a generation that a switch is quiescing.</summary>
    public bool InsideQuiescingCall()
    {
        foreach (var owner in _owners)
        {
            if (owner is { IsQuiescing: true })
            {
                return true;
            }
        }

        return false;
    }
}
