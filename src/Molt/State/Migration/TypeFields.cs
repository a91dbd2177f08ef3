using System.Reflection;

namespace Molt.State;

/// <summary>
/// A type's instance fields (its own and its base classes'), by logical name: an auto-property's
/// backing field <c>&lt;Name&gt;k__BackingField</c> is known as <c>Name</c>, so a value migrates
/// at the field level and still matches members by the names the programmer wrote.
/// </summary>
internal sealed class TypeFields
{
    private const BindingFlags Declared = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;

    private readonly Dictionary<string, FieldInfo> _byName = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FieldInfo?> _byLooseName = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FieldInfo?> _byFormerName = new(StringComparer.Ordinal);

    private TypeFields(Type type)
    {
        var fields = new List<NamedField>();
        for (var current = type; current is not null && current != typeof(object) && current != typeof(ValueType); current = current.BaseType)
        {
            foreach (var field in current.GetFields(Declared))
            {
                var name = LogicalName(field);
                if (_byName.ContainsKey(name))
                {
                    // Hidden by a derived class's member of the same name: qualify it so both survive.
                    name = $"{current.Name}.{name}";
                }

                _byName[name] = field;
                fields.Add(new NamedField(name, field));

                // Loose names let a field renamed between an auto-property and an explicit field
                // (Name <-> _name) keep its value; a loose name shared by two fields matches neither.
                var loose = Loosen(name);
                _byLooseName[loose] = _byLooseName.ContainsKey(loose) ? null : field;
                foreach (var former in FormerNames(current, field))
                {
                    _byFormerName[former] = _byFormerName.ContainsKey(former) ? null : field;
                }
            }
        }

        Fields = [.. fields];
    }

    /// <summary>Gets the fields with their logical names, most derived type first.</summary>
    public IReadOnlyList<NamedField> Fields { get; }

    public static TypeFields Of(Type type) => new(type);

    /// <summary>
    /// Finds the field named <paramref name="name"/>: exactly, else the one marked
    /// <c>[FormerName(name)]</c>, else loosely (case, leading underscore).
    /// </summary>
    public FieldInfo? Find(string name) =>
        _byName.TryGetValue(name, out var field) ? field
        : _byFormerName.TryGetValue(name, out var renamed) && renamed is not null ? renamed
        : _byLooseName.TryGetValue(Loosen(name), out var loose) ? loose
        : null;

    /// <summary>The names a field was known by, from <see cref="FormerNameAttribute"/> on it or on the auto-property it backs.</summary>
    private static IEnumerable<string> FormerNames(Type declaring, FieldInfo field)
    {
        var property = LogicalName(field) is var name && name != field.Name
            ? declaring.GetProperty(name, Declared)
            : null;
        return field.GetCustomAttributes<FormerNameAttribute>().Concat(property?.GetCustomAttributes<FormerNameAttribute>() ?? [])
            .Select(a => a.Name);
    }

    public bool HasExactly(IEnumerable<string> names)
    {
        var count = 0;
        foreach (var name in names)
        {
            if (!_byName.ContainsKey(name))
            {
                return false;
            }

            count++;
        }

        return count == _byName.Count;
    }

    private static string LogicalName(FieldInfo field)
    {
        var name = field.Name;
        const string suffix = ">k__BackingField";
        return name.StartsWith('<') && name.EndsWith(suffix, StringComparison.Ordinal)
            ? name[1..^suffix.Length]
            : name;
    }

    private static string Loosen(string name)
    {
        var start = name.StartsWith("m_", StringComparison.Ordinal) ? 2 : 0;
        while (start < name.Length && name[start] == '_')
        {
            start++;
        }

        return name[start..].ToUpperInvariant();
    }
}
