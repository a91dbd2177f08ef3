namespace Molt.State;

/// <summary>
/// Migrates one value's graph from a retiring generation's types into the new generation's, member by
/// member, without touching the old graph. Each old object is migrated once (<c>_memo</c>), so shared
/// references and cycles keep their shape; objects whose types involve no retiring type are carried
/// over by reference.
/// </summary>
/// <remarks>
/// Host objects are opaque: a host-defined object that holds a module object in an <see cref="object"/>
/// field is carried as is. Arrays and the common collections are looked into, since they are how
/// module values usually sit in host-typed slots (<c>List&lt;object&gt;</c>).
/// </remarks>
internal sealed partial class LiveMigrator
{
    private readonly MigrationContext _context;
    private readonly MigrationPath _path;
    private readonly Dictionary<object, object?> _memo = new(ReferenceEqualityComparer.Instance);
    private readonly List<RemovedMember> _removed = [];
    private readonly int _run;

    public LiveMigrator(MigrationContext context, string root)
    {
        _context = context;
        _path = new MigrationPath(root);
        _run = context.NextRun();
    }

    /// <summary>Gets the members dropped because the new types no longer have them.</summary>
    public IReadOnlyList<RemovedMember> Removed => _removed;

    /// <summary>Migrates <paramref name="value"/> into a value assignable to <paramref name="target"/>.</summary>
    /// <exception cref="StateMigrationException">Some member cannot be migrated.</exception>
    public object? Migrate(object? value, Type target)
    {
        try
        {
            return MigrateValue(value, target);
        }
        catch (Exception e) when (e is not StateMigrationException)
        {
            // Code the migration runs (a key's GetHashCode, a CompareTo, a constructor) threw, or the
            // graph changed under it: a failure of this value at the path reached, never of the engine.
            throw _path.Fail($"{e.GetType().Name} while migrating: {e.Message}", e);
        }
    }

    private static Type Effective(Type type) => Nullable.GetUnderlyingType(type) ?? type;

    private object? MigrateValue(object? value, Type target)
    {
        if (value is null)
        {
            return target.IsValueType && Nullable.GetUnderlyingType(target) is null
                ? throw _path.Fail($"cannot convert null to {ValueConversions.Describe(target)}")
                : null;
        }

        var type = value.GetType();
        var types = _context.Types;
        if (!types.Involves(type))
        {
            return MigrateCarried(value, type, target);
        }

        if (type.IsEnum)
        {
            return MigrateEnum(value, type, target);
        }

        if (_memo.TryGetValue(value, out var done))
        {
            return done;
        }

        var newType = types.Map(type);
        if (_context.CollectionOf(type) is not null)
        {
            return MigrateCollection(value, type, newType, target);
        }

        RefuseOpaque(value, type);
        if (_context.Custom.TryGet(type.FullName!, out var custom)
            && (newType is null || type.IsValueType != newType.IsValueType || !_context.PlanOf(type, newType).SameShape))
        {
            return MigrateCustom(value, type, custom, target);
        }

        if (newType is null)
        {
            throw _path.Fail($"type {type.FullName} does not exist in the new generation");
        }

        if (!Effective(target).IsAssignableFrom(newType) || type.IsValueType != newType.IsValueType)
        {
            throw _path.Fail($"cannot convert {ValueConversions.Describe(type)} to {ValueConversions.Describe(target)}");
        }

        return MigrateObject(value, _context.PlanOf(type, newType));
    }

    private object MigrateCollection(object value, Type type, Type? newType, Type target)
    {
        var newShape = newType is null ? null : _context.CollectionOf(newType);
        return newShape is not null && target.IsAssignableFrom(newType)
            ? MigrateCollection(value, newShape)
            : throw _path.Fail($"cannot convert {ValueConversions.Describe(type)} to {ValueConversions.Describe(target)}");
    }

    private void RefuseOpaque(object value, Type type)
    {
        if (type.IsArray)
        {
            throw _path.Fail($"multi-dimensional arrays ({ValueConversions.Describe(type)}) cannot be migrated; use a jagged array or a list");
        }

        if (value is Delegate)
        {
            throw _path.Fail($"{ValueConversions.Describe(type)} is a delegate into the retiring generation's code and cannot be migrated");
        }
    }

    private object? MigrateCarried(object value, Type type, Type target)
    {
        if (_context.CollectionOf(type) is { IsPolymorphic: true } shape)
        {
            if (_memo.TryGetValue(value, out var done))
            {
                return done;
            }

            if (ContainsRetiring(value, new HashSet<object>(ReferenceEqualityComparer.Instance)))
            {
                // A host collection (List<object>, say) holding module objects: copy it with migrated items.
                return MigrateCollection(value, shape);
            }

            _memo[value] = value;
        }

        if (value is Delegate d && (_context.Types.Involves(d.Method.DeclaringType ?? typeof(object)) || (d.Target is { } t && _context.Types.Involves(t.GetType()))))
        {
            throw _path.Fail("a delegate into the retiring generation's code cannot be migrated");
        }

        return ValueConversions.TryConvert(value, target, out var converted)
            ? converted
            : throw _path.Fail($"cannot convert {ValueConversions.Describe(type)} to {ValueConversions.Describe(target)}");
    }

    private object MigrateEnum(object value, Type type, Type target)
    {
        var newType = _context.Types.Map(type) ?? throw _path.Fail($"enum {type.FullName} does not exist in the new generation");
        var name = value.ToString()!;
        if (!Effective(target).IsAssignableFrom(newType))
        {
            throw _path.Fail($"cannot convert {ValueConversions.Describe(type)} to {ValueConversions.Describe(target)}");
        }

        // By name, not number: reordering or renumbering an enum keeps each value's meaning.
        return Enum.TryParse(newType, name, ignoreCase: false, out var migrated)
            ? migrated
            : throw _path.Fail($"enum {newType.FullName} has no member {name}");
    }

    private object MigrateObject(object value, ObjectPlan plan)
    {
        object result;
        try
        {
            result = plan.Factory.Create();
        }
        catch (Exception e) when (e is System.Reflection.TargetInvocationException or MissingMethodException or InvalidOperationException)
        {
            throw _path.Fail($"cannot create a {plan.NewType.FullName}: {e.InnerException?.Message ?? e.Message}", e);
        }

        if (!plan.OldType.IsValueType)
        {
            _memo[value] = result;
        }

        if (plan.Removed.Count > 0 && plan.ReportedInRun != _run)
        {
            plan.ReportedInRun = _run;
            foreach (var name in plan.Removed)
            {
                _removed.Add(new RemovedMember(plan.OldType.FullName!, name));
            }
        }

        foreach (var member in plan.Members)
        {
            var memberValue = member.Old.GetValue(value);
            if (!member.Copy)
            {
                _path.Push(member.Name);
                memberValue = MigrateValue(memberValue, member.New.FieldType);
                _path.Pop();
            }

            member.New.SetValue(result, memberValue);
        }

        return result;
    }

    private object? MigrateCustom(object value, Type type, CustomMigration custom, Type target)
    {
        var old = new NeutralWriter(_context, NeutralMode.Live, _path.ToString()).Write(value) as StateNode
            ?? throw _path.Fail($"{type.FullName} has no neutral form");
        var result = custom.Invoke(old, _path);
        if (result is not null && (_context.Types.Involves(result.GetType()) || !Effective(target).IsInstanceOfType(result)))
        {
            throw _path.Fail($"custom migration {custom.Name} returned a {result.GetType().FullName}, which does not fit {ValueConversions.Describe(target)} in the new generation");
        }

        if (!type.IsValueType)
        {
            _memo[value] = result;
        }

        return result;
    }
}
