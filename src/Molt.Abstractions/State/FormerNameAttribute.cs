namespace Molt;

/// <summary>
/// Says what a type or member was called before a rename, so persistent state keeps its values:
/// an old object of type <c>Enemy</c> becomes a <c>Foe</c> marked <c>[FormerName("Enemy")]</c>
/// (inside any container too), and an old member <c>Hp</c> fills a new member marked
/// <c>[FormerName("Hp")]</c>. Repeat it for several renames.
/// </summary>
/// <param name="name">
/// The former name: for a type, its full name (<c>Game.Enemy</c>) or, when the namespace did not
/// change, its simple name; for a field or property, its name.
/// </param>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct | AttributeTargets.Enum | AttributeTargets.Field | AttributeTargets.Property, AllowMultiple = true, Inherited = false)]
public sealed class FormerNameAttribute(string name) : Attribute
{
    /// <summary>Gets the former name.</summary>
    public string Name { get; } = name;
}
