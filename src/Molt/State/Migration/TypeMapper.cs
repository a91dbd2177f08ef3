namespace Molt.State;

/// <summary>
/// Maps a type of a retiring generation to its counterpart in the new generation, by full name,
/// through arrays and generic arguments. Types that involve no retiring type map to themselves.
/// </summary>
/// <remarks>Caches live as long as one migration, so they never keep a retired generation alive.</remarks>
internal sealed class TypeMapper(Func<Type, bool> isRetiring, Func<string, Type?> resolve)
{
    private readonly Dictionary<Type, bool> _involves = [];
    private readonly Dictionary<Type, Type?> _mapped = [];

    /// <summary>A mapper for values that come from no generation (snapshots): nothing retires.</summary>
    public static TypeMapper ForNeutral(Func<string, Type?> resolve) => new(static _ => false, resolve);

    /// <summary>Gets a value indicating whether <paramref name="type"/> is, or is built from, a retiring type.</summary>
    public bool Involves(Type type)
    {
        if (_involves.TryGetValue(type, out var known))
        {
            return known;
        }

        var involves = isRetiring(type)
            || (type.HasElementType && Involves(type.GetElementType()!))
            || (type.IsConstructedGenericType
                && (isRetiring(type.GetGenericTypeDefinition()) || type.GenericTypeArguments.Any(Involves)));
        _involves[type] = involves;
        return involves;
    }

    /// <summary>Gets the new generation's counterpart of <paramref name="type"/>, or <see langword="null"/> if it has none.</summary>
    public Type? Map(Type type)
    {
        if (!Involves(type))
        {
            return type;
        }

        if (_mapped.TryGetValue(type, out var known))
        {
            return known;
        }

        var mapped = MapUncached(type);
        _mapped[type] = mapped;
        return mapped;
    }

    /// <summary>
    /// Gets the part of <paramref name="type"/> that has no counterpart (its element type, a generic
    /// argument, its generic definition, or itself): what a message must name, and a rename mark.
    /// </summary>
    public Type Unmapped(Type type)
    {
        if (type.HasElementType)
        {
            return Unmapped(type.GetElementType()!);
        }

        if (!type.IsConstructedGenericType)
        {
            return type;
        }

        var definition = type.GetGenericTypeDefinition();
        if (isRetiring(definition) && resolve(definition.FullName!) is null)
        {
            return definition;
        }

        return type.GenericTypeArguments.FirstOrDefault(a => Map(a) is null) is { } argument ? Unmapped(argument) : type;
    }

    /// <summary>Finds a type by full name: the new generation first, then the host and framework.</summary>
    public Type? Resolve(string fullName) => resolve(fullName) ?? Type.GetType(fullName, throwOnError: false);

    private Type? MapUncached(Type type)
    {
        if (type.IsSZArray)
        {
            return Map(type.GetElementType()!)?.MakeArrayType();
        }

        if (type.IsArray)
        {
            return Map(type.GetElementType()!)?.MakeArrayType(type.GetArrayRank());
        }

        if (type.IsConstructedGenericType)
        {
            var definition = type.GetGenericTypeDefinition();
            var newDefinition = isRetiring(definition) ? resolve(definition.FullName!) : definition;
            var arguments = type.GenericTypeArguments.Select(Map).ToArray();
            if (newDefinition is null || arguments.Any(a => a is null))
            {
                return null;
            }

            try
            {
                return newDefinition.MakeGenericType(arguments!);
            }
            catch (ArgumentException)
            {
                // The new generation changed the definition's constraints so these arguments no longer fit.
                return null;
            }
        }

        return type.FullName is { } name ? resolve(name) : null;
    }
}
