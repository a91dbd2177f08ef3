namespace Molt.State;

/// <summary>The primitive types a neutral value holds as themselves, with the names a snapshot tags them by.</summary>
internal static class NeutralPrimitives
{
    private static readonly Dictionary<Type, string> Names = new()
    {
        [typeof(bool)] = "Boolean",
        [typeof(char)] = "Char",
        [typeof(sbyte)] = "SByte",
        [typeof(byte)] = "Byte",
        [typeof(short)] = "Int16",
        [typeof(ushort)] = "UInt16",
        [typeof(int)] = "Int32",
        [typeof(uint)] = "UInt32",
        [typeof(long)] = "Int64",
        [typeof(ulong)] = "UInt64",
        [typeof(float)] = "Single",
        [typeof(double)] = "Double",
        [typeof(decimal)] = "Decimal",
        [typeof(string)] = "String",
        [typeof(DateTime)] = "DateTime",
        [typeof(DateTimeOffset)] = "DateTimeOffset",
        [typeof(TimeSpan)] = "TimeSpan",
        [typeof(Guid)] = "Guid",
        [typeof(DateOnly)] = "DateOnly",
        [typeof(TimeOnly)] = "TimeOnly",
    };

    private static readonly Dictionary<string, Type> Types = Names.ToDictionary(p => p.Value, p => p.Key, StringComparer.Ordinal);

    public static bool IsPrimitive(Type type) => Names.ContainsKey(type);

    public static string NameOf(Type type) => Names[type];

    public static Type? TypeNamed(string name) => Types.GetValueOrDefault(name);
}
