namespace Molt;

/// <summary>
/// A value in the neutral, host-owned form that persistent state takes between generations:
/// what a <see cref="StateMigrationAttribute">custom migration</see> receives, and what a state
/// snapshot holds until the module that owns the value loads.
/// </summary>
/// <remarks>
/// A neutral value is either <see langword="null"/>, a primitive (<see cref="bool"/>, <see cref="char"/>,
/// the integer and floating-point types, <see cref="decimal"/>, <see cref="string"/>, <see cref="DateTime"/>,
/// <see cref="DateTimeOffset"/>, <see cref="TimeSpan"/>, <see cref="Guid"/>, <see cref="DateOnly"/>,
/// <see cref="TimeOnly"/>), or a node: <see cref="StateObject"/>, <see cref="StateList"/>,
/// <see cref="StateDictionary"/> or <see cref="StateEnum"/>. During a live reload a member whose type
/// comes from the host or the framework (and is none of these) is handed over as the object itself.
/// Nodes are read-only; a node reachable twice is the same instance, so shared references and cycles
/// keep their shape.
/// </remarks>
public abstract class StateNode
{
    /// <summary>Initialises a node.</summary>
    /// <param name="typeName">The full name of the type the value had.</param>
    protected StateNode(string typeName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(typeName);
        TypeName = typeName;
    }

    /// <summary>Gets the full name (<see cref="Type.FullName"/>) of the type the value had when it was captured.</summary>
    public string TypeName { get; }
}
