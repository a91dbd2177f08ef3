using System.ComponentModel;

namespace Molt;

/// <summary>
/// Binds a module's <see cref="PersistentAttribute">[Persistent]</see> statics to persistent state.
/// Used by the code Molt generates for them; not meant to be called by hand.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface IPersistentStaticBinder
{
    /// <summary>Gets the handle of the persistent static named <paramref name="name"/>.</summary>
    /// <typeparam name="T">The static's type.</typeparam>
    /// <param name="name">The static's full name (<c>Namespace.Type.member</c>).</param>
    /// <param name="initialValue">Its initialiser.</param>
    /// <param name="onMigrationFailure">What a reload does when its value cannot be migrated.</param>
    /// <returns>The handle.</returns>
    IPersistentState<T> Bind<T>(string name, Func<T> initialValue, MigrationFailurePolicy onMigrationFailure);
}
