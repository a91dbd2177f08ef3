using System.Runtime.CompilerServices;
using Molt.EntryPoints;

namespace Molt;

/// <summary>
/// A stable handle to an object a module exports behind a host-defined interface. Created once;
/// after every reload it returns the current generation's instance. <c>service.Current.Method()</c>
/// costs a field read, an array read and the interface call.
/// </summary>
/// <typeparam name="TService">The interface (defined by the host or a contract assembly).</typeparam>
public sealed class ServiceEntryPoint<TService>
    where TService : class
{
    private readonly EntryTable _table;
    private readonly int _index;

    private readonly EntryPreparers _preparers;

    internal ServiceEntryPoint(EntryTable table, int index, string module, string? name, EntryPreparers preparers)
    {
        _preparers = preparers;
        _table = table;
        _index = index;
        Module = module;
        Name = name;
    }

    /// <summary>Gets the module's name.</summary>
    public string Module { get; }

    /// <summary>Gets the export's name, or <see langword="null"/> when the handle takes the module's one implementation of <typeparamref name="TService"/>.</summary>
    public string? Name { get; }

    /// <summary>Gets the current generation's instance (or the fallback while the export is absent).</summary>
    public TService Current
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Unsafe.As<TService>(_table.Target(_index));
    }

    /// <summary>Gets the module generation the handle dispatches to now, or 0 while it uses its fallback.</summary>
    public int Generation => _table.Snapshot.Owners[_index]?.Number ?? 0;

    /// <summary>
    /// Adds something the host runs on every new generation's instance during a reload, after the
    /// module's load hook and before the switch (for example, building what the host serves from
    /// it). When it throws, the reload fails (MOLT032, with where it threw) and the serving
    /// generation keeps serving. It runs on the reloading thread and must not start a reload. It
    /// does not run for the instance serving when it is added, nor for the fallback.
    /// </summary>
    /// <param name="preparer">What to run with the new instance.</param>
    /// <exception cref="ArgumentNullException"><paramref name="preparer"/> is <see langword="null"/>.</exception>
    public void AddPreparer(Action<TService> preparer)
    {
        ArgumentNullException.ThrowIfNull(preparer);
        _preparers.Add(target => preparer(Unsafe.As<TService>(target)));
    }

    /// <summary>Starts a tracked call; see <see cref="EntryPoint{TDelegate}.Enter"/>.</summary>
    /// <returns>A lease whose <see cref="CallLease{T}.Target"/> is the instance to call.</returns>
    public CallLease<TService> Enter()
    {
        var call = _table.Enter(_index);
        return new CallLease<TService>(Unsafe.As<TService>(call.Target), call);
    }
}
