namespace Molt.State;

/// <summary>Recognises the framework's default comparers, which a rebuilt collection gets for its new item type by itself.</summary>
internal static class DefaultComparers
{
    public static bool IsDefault(object comparer, Type itemType) =>
        ReferenceEquals(comparer, DefaultOf(typeof(EqualityComparer<>), itemType))
        || ReferenceEquals(comparer, DefaultOf(typeof(Comparer<>), itemType));

    private static object? DefaultOf(Type definition, Type itemType) =>
        definition.MakeGenericType(itemType).GetProperty("Default")!.GetValue(null);
}
