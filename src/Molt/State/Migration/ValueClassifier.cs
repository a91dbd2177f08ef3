using System.Reflection;
using System.Runtime.CompilerServices;

namespace Molt.State;

/// <summary>
/// Decides, per runtime type, how a migration treats a value (<see cref="ValueKind"/>), and whether
/// an object of a type that does not retire can reach, through its fields, one that does. Cached
/// for one transaction (it holds types of the retiring generation).
/// </summary>
internal sealed class ValueClassifier(TypeMapper types, Func<Type, CollectionShape?> shapes)
{
    private readonly Dictionary<Type, ValueKind> _kinds = [];
    private readonly Dictionary<Type, bool> _canReach = [];

    public ValueKind KindOf(Type type)
    {
        if (!_kinds.TryGetValue(type, out var kind))
        {
            kind = Classify(type);
            _kinds[type] = kind;
        }

        return kind;
    }

    /// <summary>Whether a field declared as <paramref name="type"/> may hold something that reaches a retiring object.</summary>
    public bool MayHold(Type type)
    {
        if (ValueConversions.IsInert(type) && !types.Involves(type))
        {
            return false;
        }

        if (types.Involves(type) || typeof(Delegate).IsAssignableFrom(type))
        {
            return true;
        }

        if (type.IsArray)
        {
            return MayHold(type.GetElementType()!);
        }

        if (type.IsPointer || type.IsByRef || type == typeof(IntPtr) || type == typeof(UIntPtr))
        {
            return false;
        }

        // A declared type that cannot be subclassed is exactly what the field holds; anything else
        // may hold a subclass with more fields, so only the value's own type can tell.
        return !(type.IsSealed || type.IsValueType) || CanReach(type);
    }

    /// <summary>Whether an object of exactly <paramref name="type"/> (which does not retire) may reach a retiring object.</summary>
    public bool CanReach(Type type)
    {
        if (_canReach.TryGetValue(type, out var known))
        {
            return known;
        }

        // Assumed not while computing: a cycle of types adds nothing the other fields do not.
        _canReach[type] = false;
        var result = HandleHolders.Is(type)
            || (shapes(type) is { } shape
                ? MayHold(shape.ItemType) || (shape.ValueType is { } value && MayHold(value))
                : Fields(type).Any(f => MayHold(f.FieldType)));
        _canReach[type] = result;
        return result;
    }

    /// <summary>Whether the compiler generated the type (a closure, an iterator or async state machine, an anonymous type, a lambda cache).</summary>
    public static bool IsCompilerGenerated(Type type)
    {
        for (var current = type; current is not null; current = current.DeclaringType)
        {
            if (current.Name.StartsWith('<') || current.IsDefined(typeof(CompilerGeneratedAttribute), inherit: false))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether the type comes with .NET (whose objects the migration cannot rebuild field by field).</summary>
    public static bool IsFramework(Type type)
    {
        var name = type.Assembly.GetName().Name ?? string.Empty;
        return type.Assembly == typeof(object).Assembly
            || name is "System" or "mscorlib" or "netstandard"
            || name.StartsWith("System.", StringComparison.Ordinal)
            || name.StartsWith("Microsoft.", StringComparison.Ordinal);
    }

    /// <summary>Tuples and pairs: framework types that are only data, rebuilt field by field.</summary>
    public static bool IsTuple(Type type) =>
        type.IsConstructedGenericType && type.GetGenericTypeDefinition() is var d
        && (d == typeof(KeyValuePair<,>) || d.FullName!.StartsWith("System.ValueTuple`", StringComparison.Ordinal) || d.FullName!.StartsWith("System.Tuple`", StringComparison.Ordinal));

    private static IEnumerable<FieldInfo> Fields(Type type) =>
        type.BaseTypes().TakeWhile(t => t != typeof(object) && t != typeof(ValueType))
            .SelectMany(t => t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly));

    private ValueKind Classify(Type type)
    {
        if (types.Involves(type))
        {
            return typeof(Delegate).IsAssignableFrom(type) ? ValueKind.Delegate
                : IsCompilerGenerated(type) ? ValueKind.CompilerGenerated
                : ValueKind.Retiring;
        }

        if (ValueConversions.IsInert(type) || type.IsPointer || type == typeof(IntPtr) || type == typeof(UIntPtr))
        {
            return ValueKind.Inert;
        }

        if (typeof(Delegate).IsAssignableFrom(type))
        {
            return ValueKind.Delegate;
        }

        if (typeof(MemberInfo).IsAssignableFrom(type))
        {
            return ValueKind.Reflection;
        }

        if (shapes(type) is not null)
        {
            return ValueKind.Collection;
        }

        return !CanReach(type) ? ValueKind.Unreachable
            : IsCompilerGenerated(type) ? ValueKind.CompilerGenerated
            : IsFramework(type) && !IsTuple(type) ? ValueKind.Opaque
            : ValueKind.Walkable;
    }
}
