namespace Molt.State;

/// <summary>How a migration treats a value, by its runtime type.</summary>
internal enum ValueKind
{
    /// <summary>Holds no reference at all (numbers, strings, enums of types that do not retire): carried as is.</summary>
    Inert,

    /// <summary>Its type is, or is built from, a retiring generation's type: migrated into the new type.</summary>
    Retiring,

    /// <summary>Code of a retiring generation the compiler generated (an iterator, a closure, an anonymous type): refused.</summary>
    CompilerGenerated,

    /// <summary>A delegate: mapped to the new generation's method of the same name, or refused.</summary>
    Delegate,

    /// <summary>A <see cref="Type"/> or other reflection object: mapped to the new generation's, or refused.</summary>
    Reflection,

    /// <summary>A collection the migration can rebuild: rebuilt when any item (or its comparer) changes.</summary>
    Collection,

    /// <summary>Its type can never reach a retiring object: carried as is.</summary>
    Unreachable,

    /// <summary>An object of the host or of a module that is not reloading (or a tuple): copied when anything it reaches changes.</summary>
    Walkable,

    /// <summary>A framework object the migration cannot rebuild: carried if it reaches nothing retiring, refused otherwise.</summary>
    Opaque,
}
