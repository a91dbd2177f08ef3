namespace Molt;

/// <summary>
/// Marks a static field or static auto-property of a module (or every one of a static class) as
/// persistent: its value survives reloads, migrated into the new generation's types like any
/// persistent value, and full restarts with a state snapshot. Molt compiles the module so that each
/// read and write of it goes through a persistent-state handle (<see cref="IPersistentState{T}"/>);
/// the initialiser runs once per process.
/// </summary>
/// <remarks>
/// An assignment is an atomic write of the value. Changes made in place to the object the static
/// holds are not writes Molt can see: make them in calls the host tracks
/// (<c>EntryPoint.Enter</c>) with <c>MoltOptions.QuiesceBeforeSwitch</c>, so no reload reads the
/// object while it changes. A persistent static cannot be read in a static constructor or field
/// initializer that runs while the module loads, nor passed by <c>ref</c>.
/// </remarks>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property | AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class PersistentAttribute : Attribute
{
    /// <summary>Gets or sets what a reload does when the value cannot be migrated.</summary>
    /// <value>The default is <see cref="MigrationFailurePolicy.FailReload"/>.</value>
    public MigrationFailurePolicy OnMigrationFailure { get; set; }
}
