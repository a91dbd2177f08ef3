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

    /// <summary>Initialises the node of a multi-dimensional array (<c>T[,]</c>, <c>T[,,]</c>…).</summary>
    /// <param name="typeName">The full name of the array's type.</param>
    /// <param name="items">The elements in row-major order (the last index changes fastest, as the array enumerates them); the node keeps this instance.</param>
    /// <param name="lengths">The length of each dimension, at least two of them; their product must be the number of items once the list is filled (a node is made before its items, so cycles can refer to it).</param>
    /// <exception cref="ArgumentException">There are fewer than two lengths, or one is negative.</exception>
    public StateList(string typeName, IReadOnlyList<object?> items, IReadOnlyList<int> lengths)
        : this(typeName, items)
    {
        ArgumentNullException.ThrowIfNull(lengths);
        if (lengths.Count < 2 || lengths.Any(l => l < 0))
        {
            throw new ArgumentException($"A multi-dimensional array needs two or more non-negative lengths; got [{string.Join(", ", lengths)}].", nameof(lengths));
        }

        Lengths = lengths;
    }

    /// <summary>Gets the items in the collection's enumeration order (a stack's top first; a multi-dimensional array's last index fastest); each is a neutral value.</summary>
    public IReadOnlyList<object?> Items { get; }

    /// <summary>Gets the length of each dimension of a multi-dimensional array, or <see langword="null"/> for any other collection.</summary>
    public IReadOnlyList<int>? Lengths { get; }
}
