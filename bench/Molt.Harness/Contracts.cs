namespace Molt.Harness;

/// <summary>A host-defined interface that the downtime item's module implements (a service entry point).</summary>
public interface IVersioned
{
    /// <summary>Gets the module version that answered.</summary>
    /// <returns>The version.</returns>
    int Version();
}
