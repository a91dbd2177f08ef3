using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Collections.Immutable;

namespace Molt.State;

/// <summary>The collection types a migration knows how to rebuild, by generic definition.</summary>
internal sealed partial class CollectionShape
{
    private static readonly Dictionary<Type, Func<Type, Type[], CollectionShape>> s_known = new()
    {
        [typeof(List<>)] = (t, a) => Sequence(t, a, new AddBuilder("Add")),
        [typeof(LinkedList<>)] = (t, a) => Sequence(t, a, new AddBuilder("AddLast")),
        [typeof(Queue<>)] = (t, a) => Sequence(t, a, new AddBuilder("Enqueue")),
        [typeof(ConcurrentQueue<>)] = (t, a) => Sequence(t, a, new AddBuilder("Enqueue")),
        [typeof(ConcurrentBag<>)] = (t, a) => Sequence(t, a, new AddBuilder("Add")),
        [typeof(Stack<>)] = (t, a) => new(t, CollectionKind.Stack, a, new AddBuilder("Push") { Reverse = true }, null),
        [typeof(ConcurrentStack<>)] = (t, a) => new(t, CollectionKind.Stack, a, new AddBuilder("Push") { Reverse = true }, null),
        [typeof(HashSet<>)] = (t, a) => new(t, CollectionKind.Sequence, a, new AddBuilder("Add") { IsSet = true }, "Comparer"),
        [typeof(SortedSet<>)] = (t, a) => new(t, CollectionKind.Sequence, a, new AddBuilder("Add") { IsSet = true }, "Comparer"),
        [typeof(Dictionary<,>)] = (t, a) => Map(t, a, new DictionaryBuilder(), "Comparer"),
        [typeof(SortedDictionary<,>)] = (t, a) => Map(t, a, new DictionaryBuilder(), "Comparer"),
        [typeof(SortedList<,>)] = (t, a) => Map(t, a, new DictionaryBuilder(), "Comparer"),
        [typeof(ConcurrentDictionary<,>)] = (t, a) => Map(t, a, new DictionaryBuilder(), "Comparer"),
        [typeof(OrderedDictionary<,>)] = (t, a) => Map(t, a, new DictionaryBuilder(), "Comparer"),

        // Elements and their priorities, as entries (an element may be queued twice); its comparer orders priorities.
        [typeof(PriorityQueue<,>)] = (t, a) => new(t, CollectionKind.Dictionary, a, new PriorityQueueBuilder(), "Comparer") { ComparesValues = true },
        [typeof(ImmutableList<>)] = (t, a) => Sequence(t, a, new FactoryBuilder(typeof(ImmutableList), "CreateRange")),
        [typeof(ImmutableArray<>)] = (t, a) => Sequence(t, a, new FactoryBuilder(typeof(ImmutableArray), "CreateRange")),
        [typeof(ImmutableQueue<>)] = (t, a) => Sequence(t, a, new FactoryBuilder(typeof(ImmutableQueue), "CreateRange")),
        [typeof(ImmutableStack<>)] = (t, a) => new(t, CollectionKind.Stack, a, new FactoryBuilder(typeof(ImmutableStack), "CreateRange") { Reverse = true }, null),
        [typeof(ImmutableHashSet<>)] = (t, a) => new(t, CollectionKind.Sequence, a, new FactoryBuilder(typeof(ImmutableHashSet), "CreateRange") { IsSet = true, TakesComparer = true }, "KeyComparer"),
        [typeof(ImmutableSortedSet<>)] = (t, a) => new(t, CollectionKind.Sequence, a, new FactoryBuilder(typeof(ImmutableSortedSet), "CreateRange") { IsSet = true, TakesComparer = true }, "KeyComparer"),
        [typeof(ImmutableDictionary<,>)] = (t, a) => Map(t, a, new FactoryBuilder(typeof(ImmutableDictionary), "CreateRange") { IsSet = true, TakesComparer = true }, "KeyComparer"),
        [typeof(ImmutableSortedDictionary<,>)] = (t, a) => Map(t, a, new FactoryBuilder(typeof(ImmutableSortedDictionary), "CreateRange") { IsSet = true, TakesComparer = true }, "KeyComparer"),
        [typeof(FrozenSet<>)] = (t, a) => new(t, CollectionKind.Sequence, a, new FactoryBuilder(typeof(FrozenSet), "ToFrozenSet") { IsSet = true, ComparerLast = true, Definition = typeof(FrozenSet<>) }, "Comparer"),
        [typeof(FrozenDictionary<,>)] = (t, a) => Map(t, a, new FactoryBuilder(typeof(FrozenDictionary), "ToFrozenDictionary") { IsSet = true, ComparerLast = true, Definition = typeof(FrozenDictionary<,>) }, "Comparer"),
    };

    private static CollectionShape? Known(Type type, Type constructed)
    {
        var definition = constructed.GetGenericTypeDefinition();
        if (!s_known.TryGetValue(definition, out var create))
        {
            return null;
        }

        // A subclass of a known collection (FrozenSet's internal kinds) is rebuilt as the known one.
        return create(type, constructed.GenericTypeArguments);
    }

    private static CollectionShape Sequence(Type type, Type[] arguments, Builder builder) =>
        new(type, CollectionKind.Sequence, arguments, builder, null);

    private static CollectionShape Map(Type type, Type[] arguments, Builder builder, string comparerProperty) =>
        new(type, CollectionKind.Dictionary, arguments, builder, comparerProperty);
}
