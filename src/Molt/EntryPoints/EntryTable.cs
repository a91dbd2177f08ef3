using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Molt.Loading;

namespace Molt.EntryPoints;

/// <summary>
/// The targets of every entry point, replaced as one array. Switching a reload is one reference
/// write, so no caller can ever see one entry point new and another old: once a caller has seen
/// a new target, every later read sees new targets too.
/// </summary>
internal sealed class EntryTable
{
    // Read on every call through a handle: kept as a plain field holding the array itself, so a
    // call costs a field read, an element read and the call.
    private object[] _targets = [];
    private EntrySnapshot _snapshot = EntrySnapshot.Empty;

    public EntrySnapshot Snapshot => Volatile.Read(ref _snapshot);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public object Target(int index) =>
        // Indexes are handed out by the engine and the array only grows: skip the bounds check.
        Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_targets), index);

    public void Publish(EntrySnapshot snapshot)
    {
        Volatile.Write(ref _snapshot, snapshot);
        Volatile.Write(ref _targets, snapshot.Targets);

        // Retirement then reads the old generation's call count: a full fence keeps that read
        // after the writes above (the other half of this handshake is the caller's interlocked
        // increment in Enter).
        Interlocked.MemoryBarrier();
    }

    /// <summary>Reads a target and counts a call into its generation, consistently with a concurrent switch.</summary>
    public TrackedCall Enter(int index)
    {
        while (true)
        {
            var snapshot = Snapshot;
            var owner = snapshot.Owners[index];
            if (owner is null)
            {
                return new TrackedCall(snapshot.Targets[index], null, null, -1);
            }

            owner.EnterCall();
            var calls = ThreadCalls.Current;
            if (owner.IsQuiescing && !calls.InsideQuiescingCall())
            {
                // The engine is switching away from this generation: wait, then take the new one.
                // A call made inside a running call of a quiescing generation goes on: the switch
                // waits for the outer call, which waits for this one.
                owner.ExitCall();
                owner.WaitForSwitch(TimeSpan.FromSeconds(1));
                continue;
            }

            if (ReferenceEquals(Snapshot, snapshot))
            {
                return new TrackedCall(snapshot.Targets[index], owner, calls, calls.Add(owner));
            }

            // A switch happened in between: retirement may already have counted zero calls.
            owner.ExitCall();
        }
    }
}

/// <summary>A tracked call's target and what ends it: the generation's count and the thread's record.</summary>
internal readonly record struct TrackedCall(object Target, Generation? Owner, ThreadCalls? Calls, int Slot);
