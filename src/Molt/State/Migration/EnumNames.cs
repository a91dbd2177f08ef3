using System.Reflection;

namespace Molt.State;

/// <summary>
/// Reads an enum value by its name into the new generation's enum: by name, not number, so
/// reordering or renumbering keeps each value's meaning; a member marked
/// <c>[FormerName("Old")]</c> takes the values of <c>Old</c>; a flags value is read part by part.
/// </summary>
internal static class EnumNames
{
    /// <summary>Reads <paramref name="name"/> (what the old value's <c>ToString()</c> gave) as a <paramref name="type"/>.</summary>
    /// <returns>The value, or <see langword="null"/> with the part no member of <paramref name="type"/> is or was called.</returns>
    public static object? Read(Type type, string name, out string? unknown)
    {
        unknown = null;
        var parts = name.Split(", ");
        for (var i = 0; i < parts.Length; i++)
        {
            if (Enum.IsDefined(type, parts[i]) || IsNumber(parts[i]))
            {
                continue;
            }

            if (Renamed(type, parts[i]) is not { } current)
            {
                unknown = parts[i];
                return null;
            }

            parts[i] = current;
        }

        return Enum.Parse(type, string.Join(", ", parts), ignoreCase: false);
    }

    /// <summary>The message for a value whose name the new enum does not know.</summary>
    public static string Missing(Type type, string unknown) =>
        $"enum {type.FullName} has no member {unknown} (if it was renamed, mark the new member [FormerName(\"{unknown}\")])";

    // A value with no name prints as its number ("8", "-1"): kept as that number.
    private static bool IsNumber(string part) => part.Length > 0 && (char.IsAsciiDigit(part[0]) || part[0] == '-');

    private static string? Renamed(Type type, string former)
    {
        var renamed = type.GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.GetCustomAttributes<FormerNameAttribute>().Any(a => a.Name == former))
            .Select(f => f.Name)
            .ToArray();
        return renamed.Length == 1 ? renamed[0] : null;
    }
}
