using System.Globalization;

namespace Molt.State;

/// <summary>Conversions allowed between member types that did not involve a generation: identity and lossless numeric widening.</summary>
internal static class ValueConversions
{
    // Only conversions that never lose information: int -> float is implicit in C# but rounds large values.
    private static readonly Dictionary<Type, Type[]> Widening = new()
    {
        [typeof(sbyte)] = [typeof(short), typeof(int), typeof(long), typeof(float), typeof(double), typeof(decimal)],
        [typeof(byte)] = [typeof(short), typeof(ushort), typeof(int), typeof(uint), typeof(long), typeof(ulong), typeof(float), typeof(double), typeof(decimal)],
        [typeof(short)] = [typeof(int), typeof(long), typeof(float), typeof(double), typeof(decimal)],
        [typeof(ushort)] = [typeof(int), typeof(uint), typeof(long), typeof(ulong), typeof(float), typeof(double), typeof(decimal)],
        [typeof(char)] = [typeof(ushort), typeof(int), typeof(uint), typeof(long), typeof(ulong), typeof(float), typeof(double), typeof(decimal)],
        [typeof(int)] = [typeof(long), typeof(double), typeof(decimal)],
        [typeof(uint)] = [typeof(long), typeof(ulong), typeof(double), typeof(decimal)],
        [typeof(long)] = [typeof(decimal)],
        [typeof(ulong)] = [typeof(decimal)],
        [typeof(float)] = [typeof(double)],
    };

    private static readonly HashSet<Type> InertTypes =
    [
        typeof(string), typeof(decimal), typeof(DateTime), typeof(DateTimeOffset), typeof(TimeSpan),
        typeof(Guid), typeof(DateOnly), typeof(TimeOnly),
    ];

    /// <summary>Gets a value indicating whether a value of <paramref name="type"/> can hold no reference to anything a migration rewrites.</summary>
    public static bool IsInert(Type type)
    {
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        return underlying.IsPrimitive || underlying.IsEnum || InertTypes.Contains(underlying);
    }

    /// <summary>Converts <paramref name="value"/> to <paramref name="target"/> if it already is one or widens losslessly into it.</summary>
    public static bool TryConvert(object value, Type target, out object? converted)
    {
        var effective = Nullable.GetUnderlyingType(target) ?? target;
        if (effective.IsInstanceOfType(value))
        {
            converted = value;
            return true;
        }

        if (Widening.TryGetValue(value.GetType(), out var targets) && Array.IndexOf(targets, effective) >= 0)
        {
            converted = Convert.ChangeType(value, effective, CultureInfo.InvariantCulture);
            return true;
        }

        converted = null;
        return false;
    }

    /// <summary>A short name for messages: <c>Int32</c>, <c>List`1[Player]</c>.</summary>
    public static string Describe(Type type) => type.IsConstructedGenericType
        ? $"{type.Name}[{string.Join(", ", type.GenericTypeArguments.Select(Describe))}]"
        : type.Name;
}
