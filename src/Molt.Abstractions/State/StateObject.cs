namespace Molt;

/// <summary>An object or struct in neutral form: its type's full name and its members by name.</summary>
/// <remarks>
/// Members are the value's instance fields, including private ones and those of its base classes.
/// An auto-property appears under the property's name (not its hidden backing field's). A member
/// hidden by a same-named member of a derived class appears as <c>BaseTypeName.Member</c>.
/// </remarks>
public sealed class StateObject : StateNode
{
    private readonly IReadOnlyDictionary<string, object?> _members;

    /// <summary>Initialises an object node.</summary>
    /// <param name="typeName">The full name of the type the value had.</param>
    /// <param name="members">The members by name; the node keeps this instance and does not copy it.</param>
    public StateObject(string typeName, IReadOnlyDictionary<string, object?> members)
        : base(typeName)
    {
        ArgumentNullException.ThrowIfNull(members);
        _members = members;
    }

    /// <summary>Gets the members by name; each value is itself a neutral value (see <see cref="StateNode"/>).</summary>
    public IReadOnlyDictionary<string, object?> Members => _members;

    /// <summary>Gets the neutral value of the member named <paramref name="name"/>.</summary>
    /// <param name="name">The member's name.</param>
    /// <exception cref="KeyNotFoundException">The value had no such member.</exception>
    public object? this[string name] => _members.TryGetValue(name, out var value)
        ? value
        : throw new KeyNotFoundException($"{TypeName} has no member named '{name}'.");

    /// <summary>Gets a value indicating whether the value had a member named <paramref name="name"/>.</summary>
    /// <param name="name">The member's name.</param>
    /// <returns><see langword="true"/> if the member exists.</returns>
    public bool Has(string name) => _members.ContainsKey(name);

    /// <summary>
    /// Gets the member named <paramref name="name"/> as a <typeparamref name="T"/>, converting numbers,
    /// strings and enum names the way <see cref="Convert.ChangeType(object, Type, IFormatProvider)"/> does
    /// with the invariant culture.
    /// </summary>
    /// <typeparam name="T">A primitive, string or enum type, or a node type.</typeparam>
    /// <param name="name">The member's name.</param>
    /// <returns>The member's value, or <paramref name="fallback"/> when the value has no such member or it is <see langword="null"/>.</returns>
    /// <param name="fallback">The value to return when the member is missing or null.</param>
    /// <exception cref="InvalidCastException">The member's value cannot be converted to <typeparamref name="T"/>.</exception>
    /// <exception cref="FormatException">The member is a string that does not parse as <typeparamref name="T"/>.</exception>
    /// <exception cref="OverflowException">The member is a number out of <typeparamref name="T"/>'s range.</exception>
    public T Get<T>(string name, T fallback = default!)
    {
        if (!_members.TryGetValue(name, out var value) || value is null)
        {
            return fallback;
        }

        if (value is T typed)
        {
            return typed;
        }

        var target = Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T);
        if (target.IsEnum)
        {
            var enumName = value is StateEnum e ? e.Name : Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)!;
            return (T)Enum.Parse(target, enumName);
        }

        return (T)Convert.ChangeType(value, target, System.Globalization.CultureInfo.InvariantCulture);
    }
}
