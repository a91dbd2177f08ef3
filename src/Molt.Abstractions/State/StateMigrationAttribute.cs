namespace Molt;

/// <summary>
/// Marks a custom migration (Erlang's <c>code_change</c>): a public static method of a module that
/// turns a persistent value captured from a previous generation into a value of this generation's type.
/// </summary>
/// <remarks>
/// <para>
/// The method takes one parameter of type <see cref="StateNode"/> or <see cref="StateObject"/> (the old
/// value in neutral form) and returns the new value; its return type is the new type. Declared with a
/// second parameter of the new type, it also receives the default migration of every member that still
/// fits, and changes only what changed. The engine finds these methods by reflection in the new
/// generation's assemblies, in any public or non-public type.
/// </para>
/// <para>
/// A migration applies to old values whose type's full name is <see cref="From"/> (by default the
/// return type's own full name), wherever they occur in a persistent value: at the top or nested in
/// objects, collections and dictionaries. It runs whenever it is present, even when the type's shape
/// did not change (that is how a value is rewritten on purpose): remove it once the reload that needed
/// it is done, or write it so that it also accepts a value already in the new shape.
/// </para>
/// <para>
/// The method runs while the previous generation is still serving, on a copy: it must not have side
/// effects. If it throws, the value's migration fails and the slot's <see cref="MigrationFailurePolicy"/>
/// decides what the reload does.
/// </para>
/// <example>
/// <code>
/// public sealed record Player(string Name, int Score);
///
/// internal static class Migrations
/// {
///     // The previous generation stored Score as a string.
///     [StateMigration]
///     public static Player Player(StateObject old) =>
///         new(old.Get&lt;string&gt;("Name"), int.Parse(old.Get("Score", "0")));
/// }
/// </code>
/// </example>
/// </remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class StateMigrationAttribute : Attribute
{
    /// <summary>Gets or sets the full name of the old type this migration converts from, or <see langword="null"/> for the return type's own full name (use it when a type was renamed).</summary>
    /// <value>The default is <see langword="null"/>.</value>
    public string? From { get; set; }
}
