using System.Globalization;

namespace Molt.State;

/// <summary>Round-trip text forms of the tagged primitives.</summary>
internal static class SnapshotPrimitives
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static string Format(object value) => value switch
    {
        float f => f.ToString("R", Invariant),
        double d => d.ToString("R", Invariant),
        DateTime d => d.ToString("O", Invariant),
        DateTimeOffset d => d.ToString("O", Invariant),
        DateOnly d => d.ToString("O", Invariant),
        TimeOnly t => t.ToString("O", Invariant),
        TimeSpan t => t.ToString("c", Invariant),
        IFormattable f => f.ToString(null, Invariant),
        _ => value.ToString()!,
    };

    public static object Parse(string typeName, string text) => typeName switch
    {
        "Boolean" => bool.Parse(text),
        "Char" => char.Parse(text),
        "SByte" => sbyte.Parse(text, Invariant),
        "Byte" => byte.Parse(text, Invariant),
        "Int16" => short.Parse(text, Invariant),
        "UInt16" => ushort.Parse(text, Invariant),
        "Int32" => int.Parse(text, Invariant),
        "UInt32" => uint.Parse(text, Invariant),
        "Int64" => long.Parse(text, Invariant),
        "UInt64" => ulong.Parse(text, Invariant),
        "Single" => float.Parse(text, Invariant),
        "Double" => double.Parse(text, Invariant),
        "Decimal" => decimal.Parse(text, Invariant),
        "String" => text,
        "DateTime" => DateTime.ParseExact(text, "O", Invariant, DateTimeStyles.RoundtripKind),
        "DateTimeOffset" => DateTimeOffset.ParseExact(text, "O", Invariant, DateTimeStyles.RoundtripKind),
        "DateOnly" => DateOnly.ParseExact(text, "O", Invariant),
        "TimeOnly" => TimeOnly.ParseExact(text, "O", Invariant),
        "TimeSpan" => TimeSpan.ParseExact(text, "c", Invariant),
        "Guid" => Guid.Parse(text),
        _ => throw new FormatException($"unknown primitive type '{typeName}'"),
    };
}
