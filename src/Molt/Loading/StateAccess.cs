using System.Collections.Concurrent;

namespace Molt.Loading;

/// <summary>
/// The host's persistent values, keyed by module (or the shared scope) and name. Values of host
/// or framework types carry over as the same object.
/// </summary>
internal sealed class StateAccess : IStateAccess
{
    private readonly ConcurrentDictionary<(string? Module, string Name), Lazy<Slot>> _slots = new();

    public IPersistentState<T> Get<T>(string? module, string name, Func<T> initialValue, MigrationFailurePolicy policy, Generation generation)
    {
        var slot = _slots.GetOrAdd((module, name), _ => new Lazy<Slot>(() => new Slot(initialValue()))).Value;
        if (slot.Value is { } value && value is not T)
        {
            throw new InvalidOperationException(
                $"Persistent value '{name}' of module '{module ?? "(shared)"}' holds a {value.GetType().FullName}, not a {typeof(T).FullName}.");
        }

        return new Handle<T>(name, slot);
    }

    private sealed class Slot(object? value)
    {
        private object? _value = value;

        public object? Value
        {
            get => Volatile.Read(ref _value);
            set => Volatile.Write(ref _value, value);
        }

        public bool TryReplace(object? expected, object? value) => ReferenceEquals(Interlocked.CompareExchange(ref _value, value, expected), expected);
    }

    private sealed class Handle<T>(string name, Slot slot) : IPersistentState<T>
    {
        public string Name => name;

        public T Value
        {
            get => (T)slot.Value!;
            set => slot.Value = value;
        }

        public T Update(Func<T, T> update)
        {
            ArgumentNullException.ThrowIfNull(update);
            while (true)
            {
                var current = slot.Value;
                var next = update((T)current!);
                if (slot.TryReplace(current, next))
                {
                    return next;
                }
            }
        }
    }
}
