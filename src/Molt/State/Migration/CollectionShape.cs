using System.Collections;
using System.Collections.Concurrent;
using System.Reflection;

namespace Molt.State;

/// <summary>What a migration knows about a collection type: its items' types and how to rebuild it.</summary>
internal sealed class CollectionShape
{
    private static readonly Dictionary<Type, string> SequenceAdders = new()
    {
        [typeof(List<>)] = nameof(List<int>.Add),
        [typeof(HashSet<>)] = nameof(HashSet<int>.Add),
        [typeof(SortedSet<>)] = nameof(SortedSet<int>.Add),
        [typeof(Queue<>)] = nameof(Queue<int>.Enqueue),
        [typeof(Stack<>)] = nameof(Stack<int>.Push),
        [typeof(LinkedList<>)] = nameof(LinkedList<int>.AddLast),
    };

    private static readonly HashSet<Type> Dictionaries =
    [
        typeof(Dictionary<,>), typeof(SortedDictionary<,>), typeof(SortedList<,>), typeof(ConcurrentDictionary<,>),
    ];

    private readonly MethodInfo? _add;
    private readonly PropertyInfo? _comparer;

    private CollectionShape(Type type, CollectionKind kind, Type itemType, Type? valueType, MethodInfo? add)
    {
        Type = type;
        Kind = kind;
        ItemType = itemType;
        ValueType = valueType;
        _add = add;
        _comparer = type.GetProperty("Comparer", BindingFlags.Public | BindingFlags.Instance);
    }

    public Type Type { get; }

    public CollectionKind Kind { get; }

    /// <summary>Gets the element type, or a dictionary's key type.</summary>
    public Type ItemType { get; }

    /// <summary>Gets a dictionary's value type.</summary>
    public Type? ValueType { get; }

    /// <summary>Gets a value indicating whether items may be of a type other than the declared one, so each must be looked at.</summary>
    public bool IsPolymorphic => !IsFixed(ItemType) || (ValueType is not null && !IsFixed(ValueType));

    public static CollectionShape? Of(Type type)
    {
        if (type.IsSZArray)
        {
            return new CollectionShape(type, CollectionKind.Array, type.GetElementType()!, null, null);
        }

        if (!type.IsConstructedGenericType)
        {
            return null;
        }

        var definition = type.GetGenericTypeDefinition();
        var arguments = type.GenericTypeArguments;
        if (Dictionaries.Contains(definition))
        {
            return new CollectionShape(type, CollectionKind.Dictionary, arguments[0], arguments[1], null);
        }

        if (SequenceAdders.TryGetValue(definition, out var adder))
        {
            var add = type.GetMethod(adder, [arguments[0]])!;
            var kind = definition == typeof(Stack<>) ? CollectionKind.Stack : CollectionKind.Sequence;
            return new CollectionShape(type, kind, arguments[0], null, add);
        }

        return null;
    }

    /// <summary>
    /// Creates an empty collection of this type with room for <paramref name="count"/> items, keeping
    /// <paramref name="like"/>'s comparer (StringComparer.OrdinalIgnoreCase, say) when the key type did
    /// not change and the comparer does not itself belong to a retiring generation (<paramref name="retiring"/>).
    /// </summary>
    public object Create(int count, object? like, Func<Type, bool> retiring)
    {
        if (Kind == CollectionKind.Array)
        {
            return Array.CreateInstance(ItemType, count);
        }

        var comparer = like is not null && like.GetType() is var likeType && likeType.IsConstructedGenericType
            && likeType.GenericTypeArguments[0] == ItemType
            ? likeType.GetProperty("Comparer", BindingFlags.Public | BindingFlags.Instance)?.GetValue(like)
            : null;
        if (comparer is not null && !retiring(comparer.GetType()))
        {
            var withComparer = Type.GetConstructor([_comparer!.PropertyType]);
            if (withComparer is not null)
            {
                return withComparer.Invoke([comparer]);
            }
        }

        return Activator.CreateInstance(Type)!;
    }

    /// <summary>Gets the items (dictionaries: <see cref="DictionaryEntry"/>s) in enumeration order; a stack's top first.</summary>
    public static IEnumerable Items(object collection) =>
        collection is IDictionary dictionary ? Entries(dictionary) : (IEnumerable)collection;

    public static int Count(object collection) => collection is ICollection c ? c.Count : ((IEnumerable)collection).Cast<object?>().Count();

    /// <summary>Adds items in enumeration order (for a stack, <paramref name="items"/> must be top first, as <see cref="Items"/> gives them).</summary>
    public void Fill(object collection, IReadOnlyList<object?> items)
    {
        switch (Kind)
        {
            case CollectionKind.Array:
                var array = (Array)collection;
                for (var i = 0; i < items.Count; i++)
                {
                    array.SetValue(items[i], i);
                }

                break;
            case CollectionKind.Stack:
                for (var i = items.Count - 1; i >= 0; i--)
                {
                    _add!.Invoke(collection, [items[i]]);
                }

                break;
            case CollectionKind.Sequence when collection is IList list:
                foreach (var item in items)
                {
                    list.Add(item);
                }

                break;
            default:
                foreach (var item in items)
                {
                    _add!.Invoke(collection, [item]);
                }

                break;
        }
    }

    public static void AddEntry(object dictionary, object key, object? value) => ((IDictionary)dictionary).Add(key, value);

    private static IEnumerable Entries(IDictionary dictionary)
    {
        var enumerator = dictionary.GetEnumerator();
        while (enumerator.MoveNext())
        {
            yield return enumerator.Entry;
        }
    }

    // A fixed item type cannot hold anything but itself: no subclass, no nested collection to look into.
    private static bool IsFixed(Type type) => ValueConversions.IsInert(type)
        || ((type.IsSealed || type.IsValueType) && !type.IsConstructedGenericType && Of(type) is null);
}
