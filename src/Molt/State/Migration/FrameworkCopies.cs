using System.Collections.ObjectModel;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace Molt.State;

/// <summary>
/// Which framework types made over a reloading module's types (<c>Lazy&lt;Enemy&gt;</c>,
/// <c>ReadOnlyCollection&lt;Enemy&gt;</c>) may be rebuilt field by field as the same framework type
/// over the new types. Only types whose fields are plain holders of their items qualify: a type
/// whose fields depend on its items' hash codes or order (<c>ILookup</c>'s groups), or that stands
/// for something the runtime keeps elsewhere (a weak reference's handle, a thread-local's slots, a
/// task's waiters) would be copied into a wrong or dangling object, so it is refused instead.
/// </summary>
internal static class FrameworkCopies
{
    private static readonly HashSet<Type> s_holders =
    [
        typeof(Lazy<>),
        typeof(StrongBox<>),
        typeof(ReadOnlyCollection<>),
        typeof(Collection<>),
        typeof(ObservableCollection<>),
        typeof(ReadOnlyObservableCollection<>),
        typeof(ReadOnlyDictionary<,>),
        typeof(ReadOnlySet<>),
        typeof(ArraySegment<>),
        typeof(Memory<>),
        typeof(ReadOnlyMemory<>),
    ];

    /// <summary>Comparers made from a delegate (<c>Comparer&lt;T&gt;.Create</c>, <c>EqualityComparer&lt;T&gt;.Create</c>): the delegate migrates like any other.</summary>
    private static readonly HashSet<string> s_delegateComparers = new(StringComparer.Ordinal)
    {
        "System.Collections.Generic.ComparisonComparer`1",
        "System.Collections.Generic.DelegateEqualityComparer`1",
    };

    /// <summary>Whether an object of the framework type <paramref name="type"/> can be rebuilt field by field.</summary>
    public static bool CanCopy(Type type)
    {
        var definition = type.IsConstructedGenericType ? type.GetGenericTypeDefinition() : type;
        return s_holders.Contains(definition)
            || s_delegateComparers.Contains(definition.FullName ?? string.Empty)
            || IsStateless(type);
    }

    /// <summary>Explains why <paramref name="type"/> is refused, with the remedy.</summary>
    public static string Refusal(Type type) =>
        $"{ValueConversions.Describe(type)} is a framework object over the reloading module's types that Molt does not rebuild: "
        + "what it keeps inside (hash codes, order, runtime handles, waiting callers) belongs to the old objects. "
        + "Keep its items in a collection Molt rebuilds instead (List, Dictionary, HashSet, PriorityQueue, OrderedDictionary…; docs/STATE.md)";

    // No instance field anywhere (the default comparers): nothing in it to get wrong.
    private static bool IsStateless(Type type) =>
        type.BaseTypes().TakeWhile(t => t != typeof(object))
            .All(t => t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly).Length == 0);
}
