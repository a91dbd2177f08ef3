namespace Molt;

/// <summary>
/// Marks what a module offers to the permanent part of the program.
/// On a public static method it exports that method as a delegate entry point; on a public
/// non-abstract class it exports an instance of the class as a service entry point (the engine
/// creates one instance per generation).
/// </summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class ExportAttribute : Attribute
{
    /// <summary>Exports the member under its own name (the method or class name).</summary>
    public ExportAttribute()
    {
    }

    /// <summary>Exports the member under <paramref name="name"/>.</summary>
    /// <param name="name">The export name the host uses to find it.</param>
    public ExportAttribute(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
    }

    /// <summary>Gets the export name, or <see langword="null"/> to use the member's own name.</summary>
    public string? Name { get; }
}
