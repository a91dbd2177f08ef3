using System.Reflection;
using System.Runtime.Loader;

namespace Molt.Retirement;

/// <summary>
/// Looks for what keeps a leaked generation in memory, to name it in the report: a static field of
/// the host's own assemblies (not the framework's, not Molt's, not a module's) from which, through
/// instance fields, collections and delegates, an object, type or method of the generation is
/// reached. Bounded in depth and in objects looked at; it reads memory and runs no code of the
/// objects it meets, but reading a static field runs its type's field initialisers if nothing did yet,
/// so types with a static constructor of their own are skipped.
/// </summary>
internal static class LeakHolders
{
    private const int MaxDepth = 16;
    private const int MaxObjects = 200_000;
    private const BindingFlags Instance = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;

    /// <summary>Gets <c>Type.field (assembly A)</c> for the first static field found that reaches <paramref name="context"/>, or <see langword="null"/>.</summary>
    public static string? Find(AssemblyLoadContext context)
    {
        var seen = new HashSet<object>(ReferenceEqualityComparer.Instance);
        foreach (var assembly in AppDomain.CurrentDomain.GetAssemblies())
        {
            if (assembly.IsCollectible || assembly.IsDynamic || IsFrameworkOrMolt(assembly))
            {
                continue;
            }

            foreach (var type in TypesOf(assembly))
            {
                if (type.ContainsGenericParameters || (type.TypeInitializer is not null && !type.Attributes.HasFlag(TypeAttributes.BeforeFieldInit)))
                {
                    continue;
                }

                foreach (var field in type.GetFields(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
                {
                    if (!field.IsLiteral && Value(field, null) is { } value && Reaches(value, context, seen, 0))
                    {
                        return $"{type.FullName}.{field.Name} (assembly {assembly.GetName().Name})";
                    }

                    if (seen.Count > MaxObjects)
                    {
                        return null;
                    }
                }
            }
        }

        return null;
    }

    private static bool IsFrameworkOrMolt(Assembly assembly)
    {
        var name = assembly.GetName().Name ?? string.Empty;
        return name is "System" or "mscorlib" or "netstandard" or "Molt" or "Molt.Abstractions" or "Molt.Hosting" or "Molt.Control"
            || name.StartsWith("System.", StringComparison.Ordinal) || name.StartsWith("Microsoft.", StringComparison.Ordinal)
            || name.StartsWith("xunit", StringComparison.Ordinal);
    }

    private static bool Reaches(object value, AssemblyLoadContext context, HashSet<object> seen, int depth)
    {
        if (value is string || value.GetType().IsPrimitive || depth > MaxDepth || seen.Count > MaxObjects || (!value.GetType().IsValueType && !seen.Add(value)))
        {
            return false;
        }

        if (Involves(value.GetType(), context)
            || (value is Type type && Involves(type, context))
            || (value is Delegate d && d.GetInvocationList().Any(part => part.Method.DeclaringType is { } t && Involves(t, context)))
            || (value is MemberInfo { DeclaringType: { } declaring } && Involves(declaring, context)))
        {
            return true;
        }

        if (value is Array array)
        {
            if (array.GetType().GetElementType() is { IsPrimitive: true } || array.GetType().GetElementType()!.IsPointer)
            {
                return false;
            }

            foreach (var item in array)
            {
                if (item is not null && Reaches(item, context, seen, depth + 1))
                {
                    return true;
                }
            }

            return false;
        }

        for (var current = value.GetType(); current is not null && current != typeof(object); current = current.BaseType)
        {
            foreach (var field in current.GetFields(Instance))
            {
                if (!field.FieldType.IsPointer && !field.FieldType.IsByRefLike && Value(field, value) is { } member && Reaches(member, context, seen, depth + 1))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static bool Involves(Type type, AssemblyLoadContext context) =>
        AssemblyLoadContext.GetLoadContext(type.Assembly) == context
        || (type.HasElementType && Involves(type.GetElementType()!, context))
        || (type.IsConstructedGenericType && type.GenericTypeArguments.Any(a => Involves(a, context)));

    private static object? Value(FieldInfo field, object? target)
    {
        try
        {
            return field.GetValue(target);
        }
        catch (Exception e) when (e is TargetInvocationException or TypeInitializationException or NotSupportedException or FieldAccessException or ArgumentException)
        {
            return null;
        }
    }

    private static Type[] TypesOf(Assembly assembly)
    {
        try
        {
            return assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException e)
        {
            return [.. e.Types.OfType<Type>()];
        }
    }
}
