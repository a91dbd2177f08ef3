namespace Molt;

/// <summary>An enum value in neutral form, kept by member name so that renumbering an enum does not change its meaning.</summary>
public sealed class StateEnum : StateNode
{
    /// <summary>Initialises an enum node.</summary>
    /// <param name="typeName">The full name of the enum type.</param>
    /// <param name="name">The member's name, as <see cref="Enum.ToString()"/> gives it (<c>"A, B"</c> for combined flags).</param>
    public StateEnum(string typeName, string name)
        : base(typeName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
    }

    /// <summary>Gets the member's name.</summary>
    public string Name { get; }

    /// <inheritdoc />
    public override string ToString() => $"{TypeName}.{Name}";
}
