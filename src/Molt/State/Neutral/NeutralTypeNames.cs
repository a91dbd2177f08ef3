using System.Reflection;
using System.Reflection.Metadata;

namespace Molt.State;

/// <summary>
/// The type names a neutral value carries (<c>Box`1[[Enemy, Molt.Modules.game, …]]</c>), read against
/// the new generation's types: whole, or part by part so a renamed generic argument marked
/// <c>[FormerName]</c> is found inside a constructed type, as a reload maps it.
/// </summary>
internal sealed class NeutralTypeNames(TypeMapper types)
{
    /// <summary>Finds the type <paramref name="typeName"/> names now, or <see langword="null"/>.</summary>
    public Type? Resolve(string typeName) =>
        types.Resolve(typeName) ?? (TypeName.TryParse(typeName, out var parsed) ? ResolveParts(parsed) : null);

    /// <summary>The part of a type's name that names no type now (a generic argument, the definition, the type), as <c>[FormerName]</c> takes it.</summary>
    public string Unresolved(string typeName) =>
        TypeName.TryParse(typeName, out var parsed) && Unresolved(parsed) is { } part ? part : Definition(typeName);

    /// <summary>Whether <paramref name="type"/> says (<c>[FormerName]</c>) it was called <paramref name="fullName"/>.</summary>
    public static bool WasCalled(Type type, string fullName)
    {
        var former = Definition(fullName);
        return type.GetCustomAttributes<FormerNameAttribute>(inherit: false)
            .Any(a => Definition(a.Name) == former || (type.Namespace is { } ns ? $"{ns}.{Definition(a.Name)}" : a.Name) == former);
    }

    private Type? ResolveParts(TypeName name)
    {
        if (name.IsSZArray)
        {
            return ResolveParts(name.GetElementType())?.MakeArrayType();
        }

        if (name.IsArray)
        {
            return ResolveParts(name.GetElementType())?.MakeArrayType(name.GetArrayRank());
        }

        if (!name.IsConstructedGenericType)
        {
            return name.IsSimple ? types.Resolve(name.FullName) : null;
        }

        var definition = ResolveParts(name.GetGenericTypeDefinition());
        var arguments = name.GetGenericArguments().Select(ResolveParts).ToArray();
        if (definition is null || arguments.Any(a => a is null))
        {
            return null;
        }

        try
        {
            return definition.MakeGenericType(arguments!);
        }
        catch (ArgumentException)
        {
            // The new definition's constraints no longer take these arguments.
            return null;
        }
    }

    private string? Unresolved(TypeName name)
    {
        if (name.IsArray || name.IsPointer || name.IsByRef)
        {
            return Unresolved(name.GetElementType());
        }

        if (name.IsConstructedGenericType)
        {
            return name.GetGenericArguments().Select(Unresolved).FirstOrDefault(part => part is not null)
                ?? Unresolved(name.GetGenericTypeDefinition());
        }

        return types.Resolve(name.FullName) is null ? Definition(name.FullName) : null;
    }

    // A constructed generic type's name without its arguments and arity (Box`1[[Enemy, …]] is Box), as [FormerName] gives it.
    private static string Definition(string typeName)
    {
        var end = typeName.IndexOfAny(['`', '[']);
        return end < 0 ? typeName : typeName[..end];
    }
}
