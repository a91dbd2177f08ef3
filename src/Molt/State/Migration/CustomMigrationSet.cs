using System.Reflection;

namespace Molt.State;

/// <summary>The custom migrations a new generation declares, by the old type's full name.</summary>
internal sealed class CustomMigrationSet
{
    private readonly Dictionary<string, CustomMigration> _byFromType;

    private CustomMigrationSet(Dictionary<string, CustomMigration> byFromType) => _byFromType = byFromType;

    public static CustomMigrationSet Empty { get; } = new([]);

    public int Count => _byFromType.Count;

    /// <summary>Finds every <see cref="StateMigrationAttribute">[StateMigration]</see> method in <paramref name="assemblies"/>, by reflection over all of them.</summary>
    /// <exception cref="InvalidOperationException">A method has the wrong signature, or two migrate from the same type.</exception>
    public static CustomMigrationSet Discover(IEnumerable<Assembly> assemblies)
    {
        ArgumentNullException.ThrowIfNull(assemblies);
        const BindingFlags statics = BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;
        return FromMethods(assemblies.SelectMany(a => a.GetTypes()).SelectMany(t => t.GetMethods(statics)));
    }

    /// <summary>Finds the <see cref="StateMigrationAttribute">[StateMigration]</see> methods among <paramref name="candidates"/> (static methods, in load order).</summary>
    /// <exception cref="InvalidOperationException">A method has the wrong signature, or two migrate from the same type.</exception>
    public static CustomMigrationSet FromMethods(IEnumerable<MethodInfo> candidates)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        var found = new Dictionary<string, CustomMigration>(StringComparer.Ordinal);
        foreach (var method in candidates)
        {
            if (method.GetCustomAttribute<StateMigrationAttribute>() is not { } attribute)
            {
                continue;
            }

            var migration = CustomMigration.FromMethod(method, attribute);
            if (!found.TryAdd(migration.FromTypeName, migration))
            {
                throw new InvalidOperationException(
                    $"Two [StateMigration] methods migrate from {migration.FromTypeName}: {found[migration.FromTypeName].Name} and {migration.Name}.");
            }
        }

        return new CustomMigrationSet(found);
    }

    public bool TryGet(string fromTypeName, out CustomMigration migration) =>
        _byFromType.TryGetValue(fromTypeName, out migration!);
}
