namespace Molt.State;

/// <summary>Type-by-name lookups for values that have no reload transaction to tell them where the new types live.</summary>
internal static class TypeResolvers
{
    /// <summary>Looks in the assemblies that define <paramref name="type"/> and its generic arguments and element types.</summary>
    public static Func<string, Type?> Near(Type type)
    {
        var assemblies = new HashSet<System.Reflection.Assembly>();
        Collect(type, assemblies);
        return name => assemblies.Select(a => a.GetType(name, throwOnError: false)).FirstOrDefault(t => t is not null);
    }

    private static void Collect(Type type, HashSet<System.Reflection.Assembly> assemblies)
    {
        assemblies.Add(type.Assembly);
        if (type.HasElementType)
        {
            Collect(type.GetElementType()!, assemblies);
        }

        foreach (var argument in type.GenericTypeArguments)
        {
            Collect(argument, assemblies);
        }
    }
}
