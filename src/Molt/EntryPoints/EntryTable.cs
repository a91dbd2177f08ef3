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
    public (object Target, Generation? Owner) Enter(int index)
    {
        while (true)
        {
            var snapshot = Snapshot;
            var owner = snapshot.Owners[index];
            if (owner is null)
            {
                return (snapshot.Targets[index], null);
            }

            owner.EnterCall();
            if (owner.IsQuiescing)
            {
                // The engine is switching away from this generation: wait, then take the new one.
                owner.ExitCall();
                owner.WaitForSwitch(TimeSpan.FromSeconds(1));
                continue;
            }

            if (ReferenceEquals(Snapshot, snapshot))
            {
                return (snapshot.Targets[index], owner);
            }

            // A switch happened in between: retirement may already have counted zero calls.
            owner.ExitCall();
        }
    }
}
