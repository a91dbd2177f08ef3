using System.Collections;
using System.Reflection;

namespace Molt.State;

/// <summary>
/// Finds which objects of types that do not retire (host objects, other modules' objects,
/// collections, delegates) reach a retiring object, and so must be copied with the migrated part
/// in them. Cycles are strongly connected components (Tarjan): one member affected makes them all
/// affected. Computed lazily, from the objects the migration actually meets, once per value.
/// </summary>
internal sealed class AffectedObjects(MigrationContext context)
{
    private readonly Dictionary<object, bool> _done = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<object, (int Index, int Low, bool Affected)> _open = new(ReferenceEqualityComparer.Instance);
    private readonly Stack<object> _stack = new();
    private int _next;

    public bool IsAffected(object value)
    {
        if (_done.TryGetValue(value, out var known))
        {
            return known;
        }

        try
        {
            return Visit(value);
        }
        catch
        {
            // Whatever threw (a getter of a framework object), no half-walked component may remain.
            _open.Clear();
            _stack.Clear();
            throw;
        }
    }

    /// <summary>The objects an object refers to that could lead to a retiring one.</summary>
    internal static IEnumerable<object> Edges(MigrationContext context, object value, ValueKind kind)
    {
        switch (kind)
        {
            case ValueKind.Walkable:
                foreach (var (_, field) in context.FieldsOf(value.GetType()).Fields)
                {
                    if (context.Classifier.MayHold(field.FieldType) && field.GetValue(value) is { } member)
                    {
                        yield return member;
                    }
                }

                break;
            case ValueKind.Collection:
                foreach (var item in CollectionShape.Items(value))
                {
                    if (item is DictionaryEntry entry)
                    {
                        // A priority queue's element (its "key") may be null.
                        if (entry.Key is { } key)
                        {
                            yield return key;
                        }

                        if (entry.Value is { } entryValue)
                        {
                            yield return entryValue;
                        }
                    }
                    else if (item is not null)
                    {
                        yield return item;
                    }
                }

                if (context.CollectionOf(value.GetType())!.ComparerOf(value) is { } comparer)
                {
                    yield return comparer;
                }

                break;
            case ValueKind.Delegate:
                foreach (var part in ((Delegate)value).GetInvocationList())
                {
                    if (part.Target is { } target)
                    {
                        yield return target;
                    }
                }

                break;
        }
    }

    private bool Visit(object value)
    {
        var kind = context.Classifier.KindOf(value.GetType());
        var affected = Intrinsic(value, kind);
        if (kind is not (ValueKind.Walkable or ValueKind.Collection or ValueKind.Delegate) || affected)
        {
            _done[value] = affected;
            return affected;
        }

        var index = _next++;
        var low = index;
        _open[value] = (index, low, false);
        _stack.Push(value);
        foreach (var edge in Edges(context, value, kind))
        {
            if (_done.TryGetValue(edge, out var known))
            {
                affected |= known;
            }
            else if (_open.TryGetValue(edge, out var open))
            {
                low = Math.Min(low, open.Index);
            }
            else
            {
                affected |= Visit(edge);
                if (_open.TryGetValue(edge, out var child))
                {
                    low = Math.Min(low, child.Low);
                }
            }
        }

        _open[value] = (index, low, affected);
        return low == index ? Close(value) : affected;
    }

    /// <summary>Pops the component <paramref name="root"/> heads: affected if any member is.</summary>
    private bool Close(object root)
    {
        var members = new List<object>();
        object member;
        do
        {
            member = _stack.Pop();
            members.Add(member);
        }
        while (!ReferenceEquals(member, root));

        var affected = members.Any(m => _open[m].Affected);
        foreach (var m in members)
        {
            _open.Remove(m);
            _done[m] = affected;
        }

        return affected;
    }

    /// <summary>Whether the value itself (not what it reaches) belongs to a retiring generation.</summary>
    private bool Intrinsic(object value, ValueKind kind) => kind switch
    {
        ValueKind.Retiring or ValueKind.CompilerGenerated => true,
        ValueKind.Delegate => ((Delegate)value).GetInvocationList().Any(d => d.Method.DeclaringType is { } t && context.Types.Involves(t)) || context.Types.Involves(value.GetType()),
        ValueKind.Reflection => ReflectionInvolves((MemberInfo)value),
        ValueKind.Opaque => context.Scanner.FindRetiring(value) is not null,
        _ => false,
    };

    private bool ReflectionInvolves(MemberInfo member) => member switch
    {
        Type type => context.Types.Involves(type),
        _ => member.DeclaringType is { } declaring && context.Types.Involves(declaring),
    };
}
