namespace Molt;

/// <summary>
/// Declares that the module uses the types of another module. The engine compiles the module
/// against that module's current generation, loads it after it, and reloads it whenever that
/// module reloads. Write it once per dependency, anywhere in the module's sources:
/// <c>[assembly: Molt.DependsOn("core")]</c>.
/// </summary>
/// <remarks>
/// The engine reads this attribute from the syntax before compiling, so the argument must be a
/// string literal. Prebuilt assembly modules need no attribute: a reference to another module's
/// assembly is a dependency.
/// </remarks>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = true, Inherited = false)]
public sealed class DependsOnAttribute : Attribute
{
    /// <summary>Declares a dependency on the module named <paramref name="module"/>.</summary>
    /// <param name="module">The name of the module depended on (its file or folder name without extension).</param>
    public DependsOnAttribute(string module)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(module);
        Module = module;
    }

    /// <summary>Gets the name of the module depended on.</summary>
    public string Module { get; }
}
