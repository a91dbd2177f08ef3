namespace Molt;

/// <summary>
/// Declares a NuGet package a source module uses. The engine resolves it (with its dependencies)
/// through the .NET SDK's own restore, from the machine's NuGet caches and configured sources,
/// compiles the module against the package's compile assets and loads its runtime and native assets
/// into the module's load context. Write it once per package, anywhere in the module's sources:
/// <c>[assembly: Molt.PackageReference("Humanizer.Core", "2.14.1")]</c>.
/// </summary>
/// <remarks>
/// The engine reads this attribute from the syntax before compiling, so both arguments must be
/// string literals. An assembly the host already has, at the same or a higher version, resolves to
/// the host's copy, so its types are the host's; see the README's "Packages" section for the rest of
/// the rule. Prebuilt assembly modules need no attribute: their <c>.deps.json</c> says what they use.
/// </remarks>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = true, Inherited = false)]
public sealed class PackageReferenceAttribute : Attribute
{
    /// <summary>Declares that the module uses version <paramref name="version"/> of the package <paramref name="id"/>.</summary>
    /// <param name="id">The package id, as on NuGet (<c>Humanizer.Core</c>).</param>
    /// <param name="version">The version, in NuGet's syntax (<c>2.14.1</c> means that version or the nearest higher one available; <c>[2.14.1]</c> exactly it).</param>
    public PackageReferenceAttribute(string id, string version)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        ArgumentException.ThrowIfNullOrWhiteSpace(version);
        Id = id;
        Version = version;
    }

    /// <summary>Gets the package id.</summary>
    public string Id { get; }

    /// <summary>Gets the requested version.</summary>
    public string Version { get; }
}
