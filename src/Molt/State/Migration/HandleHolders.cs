using System.Collections;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace Molt.State;

/// <summary>
/// Framework objects that hold other objects through the runtime's handles, not fields: weak
/// references and conditional weak tables. A walk of fields sees nothing in them, so they are
/// looked into through their API: one that holds a retiring generation's object would hand the
/// new code an object of the old one (and lose it once the old generation unloads).
/// </summary>
internal static class HandleHolders
{
    /// <summary>Whether objects of <paramref name="type"/> hold objects through handles.</summary>
    public static bool Is(Type type) =>
        typeof(WeakReference).IsAssignableFrom(type)
        || (type.IsConstructedGenericType && type.GetGenericTypeDefinition() is var definition
            && (definition == typeof(WeakReference<>) || definition == typeof(ConditionalWeakTable<,>)));

    /// <summary>Gets the objects <paramref name="value"/> holds through handles (alive now).</summary>
    public static IEnumerable<object> Held(object value)
    {
        switch (value)
        {
            case WeakReference weak:
                if (weak.Target is { } target)
                {
                    yield return target;
                }

                break;
            case IEnumerable table:
                // A conditional weak table enumerates its live pairs.
                foreach (var pair in table)
                {
                    if (pair is not null)
                    {
                        yield return pair;
                    }
                }

                break;
            default:
                var arguments = new object?[1];
                if (value.GetType().GetMethod(nameof(WeakReference<object>.TryGetTarget), BindingFlags.Public | BindingFlags.Instance) is { } tryGet
                    && tryGet.Invoke(value, arguments) is true && arguments[0] is { } held)
                {
                    yield return held;
                }

                break;
        }
    }
}
