using System.Runtime.CompilerServices;
using Molt.EntryPoints;

namespace Molt;

/// <summary>
/// A stable handle to a static method a module exports. Created once; after every reload it
/// dispatches to the current generation. A call through <see cref="Current"/> costs a field read,
/// an array read and the delegate call: no reflection, no lock, no allocation.
/// </summary>
/// <typeparam name="TDelegate">The delegate type (defined by the host or the framework).</typeparam>
public sealed class EntryPoint<TDelegate>
    where TDelegate : Delegate
{
    private readonly EntryTable _table;
    private readonly int _index;

    internal EntryPoint(EntryTable table, int index, string module, string name)
    {
        _table = table;
        _index = index;
        Module = module;
        Name = name;
    }

    /// <summary>Gets the module's name.</summary>
    public string Module { get; }

    /// <summary>Gets the export's name.</summary>
    public string Name { get; }

    /// <summary>Gets the current generation's delegate (or the fallback while the export is absent). Call it directly: <c>entry.Current(x)</c>.</summary>
    public TDelegate Current
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Unsafe.As<TDelegate>(_table.Target(_index));
    }

    /// <summary>Gets the module generation the handle dispatches to now, or 0 while it uses its fallback.</summary>
    public int Generation => _table.Snapshot.Owners[_index]?.Number ?? 0;

    /// <summary>
    /// Starts a tracked call: retirement of the generation waits (up to
    /// <see cref="MoltOptions.DrainTimeout"/>) until the returned lease is disposed. Use it for
    /// long calls that must finish before the generation's unload; it costs two interlocked operations.
    /// </summary>
    /// <returns>A lease whose <see cref="CallLease{T}.Target"/> is the delegate to call.</returns>
    public CallLease<TDelegate> Enter()
    {
        var call = _table.Enter(_index);
        return new CallLease<TDelegate>(Unsafe.As<TDelegate>(call.Target), call);
    }
}
