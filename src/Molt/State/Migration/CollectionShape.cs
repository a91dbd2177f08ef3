using System.Collections;
using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Reflection;

namespace Molt.State;

/// <summary>
/// What a migration knows about a collection type: its items' types, its comparer, and how to
/// build one from items. Collections are rebuilt through their API, never copied field by field:
/// their layout (hash buckets, tree order) depends on their items' hashes and comparisons, which
/// change with the items' types.
/// </summary>
internal sealed partial class CollectionShape
{
    private readonly Builder _builder;
    private readonly string? _comparerProperty;

    private CollectionShape(Type type, CollectionKind kind, Type[] items, Builder builder, string? comparerProperty)
    {
        Type = type;
        Kind = kind;
        ItemType = items[0];
        ValueType = items.Length > 1 ? items[1] : null;
        _builder = builder;
        _comparerProperty = comparerProperty;
    }

    public Type Type { get; }

    public CollectionKind Kind { get; }

    /// <summary>Gets the element type, or a dictionary's key type.</summary>
    public Type ItemType { get; }

    /// <summary>Gets a dictionary's value type.</summary>
    public Type? ValueType { get; }

    /// <summary>Gets a value indicating whether items may be of a type other than the declared one, so each must be looked at.</summary>
    public bool IsPolymorphic => !IsFixed(ItemType) || (ValueType is not null && !IsFixed(ValueType));

    /// <summary>Gets a value indicating whether the comparer compares the values, not the keys (a priority queue's priorities).</summary>
    public bool ComparesValues { get; private init; }

    /// <summary>Gets a value indicating whether equal items collapse into one (sets, dictionary keys).</summary>
    public bool IsKeyed => _builder.IsKeyed;

    public static CollectionShape? Of(Type type)
    {
        if (type.IsArray)
        {
            return new CollectionShape(type, CollectionKind.Array, [type.GetElementType()!], new ArrayBuilder(type.GetElementType()!, type.GetArrayRank()), null);
        }

        for (var current = type; current is not null && current != typeof(object); current = current.BaseType)
        {
            if (current.IsConstructedGenericType && Known(type, current) is { } shape)
            {
                return shape;
            }
        }

        return null;
    }

    /// <summary>Gets the items (dictionaries and priority queues: <see cref="DictionaryEntry"/>s) in enumeration order; a stack's top first.</summary>
    public static IEnumerable Items(object collection) =>
        collection is IDictionary dictionary ? Entries(dictionary)
        : collection is Array { Rank: > 1 } array ? array.Cast<object?>()
        : collection as IEnumerable ?? QueuedEntries(collection);

    public static int Count(object collection) => collection is ICollection c ? c.Count : Items(collection).Cast<object?>().Count();

    /// <summary>Gets the collection's comparer when it is not the default one of its item type (which a rebuilt collection gets anyway).</summary>
    public object? ComparerOf(object collection)
    {
        if (_comparerProperty is null || collection.GetType().GetProperty(_comparerProperty, BindingFlags.Public | BindingFlags.Instance)?.GetValue(collection) is not { } comparer)
        {
            return null;
        }

        return DefaultComparers.IsDefault(comparer, ComparesValues ? ValueType! : ItemType) ? null : comparer;
    }

    /// <summary>
    /// Builds a collection of this type from <paramref name="items"/> (for a dictionary, <see cref="DictionaryEntry"/>s),
    /// in the order <see cref="Items"/> gives them, with <paramref name="comparer"/> when not <see langword="null"/>.
    /// </summary>
    /// <param name="items">The items.</param>
    /// <param name="comparer">The comparer, already of the new item type, or <see langword="null"/> for the default.</param>
    /// <param name="like">The collection being rebuilt, for the shape of a multi-dimensional array.</param>
    /// <returns>The collection, and how many items collapsed into others (equal keys).</returns>
    public (object Collection, int Collapsed) Build(IReadOnlyList<object?> items, object? comparer, object? like) =>
        _builder.Complete(_builder.Begin(Type, items.Count, comparer, like), Type, items, comparer, like);

    /// <summary>Creates the empty collection before its items are known, when its kind allows (so cycles through it resolve); else <see langword="null"/>.</summary>
    public object? Begin(int count, object? comparer, object? like) => _builder.Begin(Type, count, comparer, like);

    /// <summary>Fills what <see cref="Begin"/> returned (or builds the collection, when it returned <see langword="null"/>).</summary>
    public (object Collection, int Collapsed) Complete(object? begun, IReadOnlyList<object?> items, object? comparer, object? like) =>
        _builder.Complete(begun, Type, items, comparer, like);

    /// <summary>Creates a collection of the same kind whose items are of <paramref name="itemType"/> (and values of <paramref name="valueType"/>).</summary>
    public Type? WithItems(Type itemType, Type? valueType)
    {
        if (Type.IsArray)
        {
            return Type.IsSZArray ? itemType.MakeArrayType() : itemType.MakeArrayType(Type.GetArrayRank());
        }

        var definition = _builder.Definition ?? Type.GetGenericTypeDefinition();
        try
        {
            return valueType is null ? definition.MakeGenericType(itemType) : definition.MakeGenericType(itemType, valueType);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    private static IEnumerable Entries(IDictionary dictionary)
    {
        var enumerator = dictionary.GetEnumerator();
        while (enumerator.MoveNext())
        {
            yield return enumerator.Entry;
        }
    }

    /// <summary>
    /// A priority queue's elements with their priorities, in the order of its heap: queued again in
    /// that order under unchanged comparisons, they make the same heap, so equal priorities still
    /// come out in the same order.
    /// </summary>
    private static IEnumerable QueuedEntries(object queue)
    {
        var items = (IEnumerable)queue.GetType().GetProperty("UnorderedItems", BindingFlags.Public | BindingFlags.Instance)!.GetValue(queue)!;
        foreach (System.Runtime.CompilerServices.ITuple pair in items)
        {
            yield return new DictionaryEntry(pair[0]!, pair[1]);
        }
    }

    // A fixed item type cannot hold anything but itself: no subclass, no nested collection to look into.
    private static bool IsFixed(Type type) => ValueConversions.IsInert(type)
        || ((type.IsSealed || type.IsValueType) && !type.IsConstructedGenericType && Of(type) is null);
}
