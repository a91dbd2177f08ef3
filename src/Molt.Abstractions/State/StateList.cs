namespace Molt;

/// <summary>An array or a sequence collection (list, set, queue, stack, linked list) in neutral form.</summary>
public sealed class StateList : StateNode
{
    /// <summary>Initialises a list node.</summary>
    /// <param name="typeName">The full name of the collection's type.</param>
    /// <param name="items">The items in enumeration order; the node keeps this instance and does not copy it.</param>
    public StateList(string typeName, IReadOnlyList<object?> items)
        : base(typeName)
    {
        ArgumentNullException.ThrowIfNull(items);
        Items = items;
    }

    /// <summary>Gets the items in the collection's enumeration order (a stack's top first); each is a neutral value.</summary>
    public IReadOnlyList<object?> Items { get; }
}
