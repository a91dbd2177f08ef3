using System.Reflection;

namespace Molt.State;

/// <summary>
/// Looks inside a framework object the migration cannot rebuild (a LINQ iterator, a
/// <c>Lazy&lt;T&gt;</c>, a <c>CancellationTokenSource</c>) for anything of a retiring generation:
/// such an object would keep the old code running and the old generation in memory, so it is
/// refused rather than carried. Reads only; never changes what it walks.
/// </summary>
internal sealed class OpaqueScanner(TypeMapper types)
{
    private const BindingFlags Instance = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;

    /// <summary>Describes the first retiring thing <paramref name="value"/> reaches, or returns <see langword="null"/>.</summary>
    public string? FindRetiring(object value)
    {
        var seen = new HashSet<object>(ReferenceEqualityComparer.Instance) { value };
        var pending = new Stack<object>();
        pending.Push(value);
        while (pending.TryPop(out var current))
        {
            var type = current.GetType();
            if (types.Involves(type))
            {
                return $"an object of {type.FullName} ({type.Assembly.GetName().Name})";
            }

            if (current is Delegate d && d.Method.DeclaringType is { } declaring && types.Involves(declaring))
            {
                return $"code of {declaring.Assembly.GetName().Name} ({declaring.Name}.{d.Method.Name})";
            }

            foreach (var next in References(current, type))
            {
                if (seen.Add(next))
                {
                    pending.Push(next);
                }
            }
        }

        return null;
    }

    private static IEnumerable<object> References(object value, Type type)
    {
        if (value is Array array)
        {
            if (!array.GetType().GetElementType()!.IsPrimitive)
            {
                foreach (var item in array)
                {
                    if (item is not null)
                    {
                        yield return item;
                    }
                }
            }

            yield break;
        }

        if (value is string or Type or MemberInfo or Assembly || ValueConversions.IsInert(type))
        {
            yield break;
        }

        if (HandleHolders.Is(type))
        {
            foreach (var held in HandleHolders.Held(value))
            {
                yield return held;
            }

            yield break;
        }

        for (var current = type; current is not null && current != typeof(object); current = current.BaseType)
        {
            foreach (var field in current.GetFields(Instance))
            {
                if (!field.FieldType.IsPointer && !field.FieldType.IsByRefLike && !ValueConversions.IsInert(field.FieldType) && field.GetValue(value) is { } member)
                {
                    yield return member;
                }
            }
        }
    }
}
