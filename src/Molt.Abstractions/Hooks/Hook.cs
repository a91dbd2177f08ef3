using System.Collections.Immutable;
using System.Runtime.InteropServices;

namespace Molt;

/// <summary>
/// A point where the permanent part of a program calls into whatever modules attached to it
/// (BaseT's hooks: "line received", "connected", "tick"). The host owns the hook and invokes
/// <see cref="Handlers"/>; modules attach through <see cref="IModuleContext.Attach{T}"/>, which
/// removes their handlers when their generation is retired.
/// </summary>
/// <typeparam name="T">The handlers' delegate type.</typeparam>
/// <remarks>
/// Reading <see cref="Handlers"/> takes no lock and allocates nothing: the handlers are an
/// immutable array replaced as a whole, so a generation's handlers appear and disappear at once.
/// </remarks>
public sealed class Hook<T>
    where T : Delegate
{
    private readonly Lock _gate = new();
    private ImmutableArray<Registration> _registrations = [];
    private T[] _handlers = [];

    /// <summary>Initialises a hook.</summary>
    /// <param name="name">A name for diagnostics.</param>
    public Hook(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
    }

    /// <summary>Gets the hook's name.</summary>
    public string Name { get; }

    /// <summary>Gets the handlers attached now, in the order modules load.</summary>
    public ImmutableArray<T> Handlers => ImmutableCollectionsMarshal.AsImmutableArray(Volatile.Read(ref _handlers));

    /// <summary>Adds a handler owned by the permanent part.</summary>
    /// <param name="handler">The handler.</param>
    /// <returns>A registration that removes the handler when disposed.</returns>
    public IDisposable Add(T handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        var owner = new object();
        Replace(static _ => false, [new Registration(owner, handler, int.MinValue)]);
        return new Removal(this, owner);
    }

    /// <summary>
    /// Calls <paramref name="invoke"/> for every handler, isolating failures: an exception from
    /// one handler is passed to <paramref name="onError"/> and the others still run.
    /// </summary>
    /// <param name="invoke">Calls one handler.</param>
    /// <param name="onError">Receives each exception; when <see langword="null"/> exceptions are swallowed.</param>
    public void InvokeAll(Action<T> invoke, Action<Exception>? onError = null)
    {
        ArgumentNullException.ThrowIfNull(invoke);
        foreach (var handler in Handlers)
        {
            try
            {
                invoke(handler);
            }
            catch (Exception ex)
            {
                onError?.Invoke(ex);
            }
        }
    }

    /// <summary>
    /// Removes every registration whose owner matches <paramref name="remove"/> and adds
    /// <paramref name="add"/>, in one step. The engine uses this to swap a generation's handlers.
    /// </summary>
    internal void Replace(Func<object, bool> remove, IEnumerable<Registration> add)
    {
        lock (_gate)
        {
            var next = _registrations.RemoveAll(r => remove(r.Owner)).AddRange(add);
            // Stable order: by load order of the owning module, then by registration.
            next = [.. next.OrderBy(r => r.Order)];
            _registrations = next;
            Volatile.Write(ref _handlers, [.. next.Select(r => r.Handler)]);
        }
    }

    internal readonly record struct Registration(object Owner, T Handler, int Order);

    private sealed class Removal(Hook<T> hook, object owner) : IDisposable
    {
        private Hook<T>? _hook = hook;

        public void Dispose() => Interlocked.Exchange(ref _hook, null)?.Replace(o => ReferenceEquals(o, owner), []);
    }
}
