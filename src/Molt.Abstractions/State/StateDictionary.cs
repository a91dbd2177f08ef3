namespace Molt;

/// <summary>A dictionary in neutral form: its entries in enumeration order.</summary>
public sealed class StateDictionary : StateNode
{
    /// <summary>Initialises a dictionary node.</summary>
    /// <param name="typeName">The full name of the dictionary's type.</param>
    /// <param name="entries">The entries; the node keeps this instance and does not copy it.</param>
    public StateDictionary(string typeName, IReadOnlyList<KeyValuePair<object?, object?>> entries)
        : base(typeName)
    {
        ArgumentNullException.ThrowIfNull(entries);
        Entries = entries;
    }

    /// <summary>Gets the entries; keys and values are neutral values.</summary>
    public IReadOnlyList<KeyValuePair<object?, object?>> Entries { get; }
}
