using System.Reflection;

namespace Molt.Activation;

/// <summary>
/// Finds the new generation's counterpart of an old type, by full name, in load order
/// (dependencies first); failing that, the type that says it was called that
/// (<see cref="FormerNameAttribute"/>: a full name, or a simple name in the same namespace).
/// </summary>
/// <param name="assemblies">The new generations' assemblies, in load order.</param>
/// <param name="formerNamed">Their types that may carry <see cref="FormerNameAttribute"/> (enumerated only when a name is not found).</param>
internal sealed class NewTypeResolver(Assembly[] assemblies, IEnumerable<Type> formerNamed)
{
    private Dictionary<string, Type>? _formerNames;

    public Type? Resolve(string fullName)
    {
        foreach (var assembly in assemblies)
        {
            if (assembly.GetType(fullName, throwOnError: false) is { } type)
            {
                return type;
            }
        }

        var former = _formerNames ??= IndexFormerNames();
        return former.GetValueOrDefault(fullName) ?? former.GetValueOrDefault(WithoutArity(fullName));
    }

    private Dictionary<string, Type> IndexFormerNames()
    {
        var index = new Dictionary<string, Type>(StringComparer.Ordinal);
        foreach (var type in formerNamed)
        {
            foreach (var attribute in type.GetCustomAttributes<FormerNameAttribute>(inherit: false))
            {
                var name = attribute.Name.Contains('.', StringComparison.Ordinal) || type.Namespace is null
                    ? attribute.Name
                    : $"{type.Namespace}.{attribute.Name}";
                index.TryAdd(WithoutArity(name), type);
            }
        }

        return index;
    }

    // A generic type's name carries its arity (Box`1); a [FormerName("Box")] on it means the same.
    private static string WithoutArity(string name) => name.IndexOf('`', StringComparison.Ordinal) is var tick and >= 0 ? name[..tick] : name;
}
