namespace Molt.State;

internal static class TypeExtensions
{
    /// <summary>The type and its base types, most derived first.</summary>
    public static IEnumerable<Type> BaseTypes(this Type type)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            yield return current;
        }
    }
}
