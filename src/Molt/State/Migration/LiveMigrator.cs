namespace Molt.State;

/// <summary>
/// Migrates one value's graph into the new generations' types, without touching the old graph.
/// Objects of retiring types are rebuilt as the new types, member by member; objects of any other
/// type (the host's, a module's that is not reloading, tuples, collections) that reach one are
/// copied with the migrated part in them; everything else is carried by reference. Each old object
/// is migrated once (<c>_memo</c>), so shared references and cycles keep their shape.
/// </summary>
/// <remarks>
/// What cannot be rebuilt is refused with the path of the value, never carried over silently:
/// compiler-generated objects (iterators, closures), lambdas, framework objects holding anything of
/// a retiring generation, and collections whose items became equal under the new types.
/// </remarks>
internal sealed partial class LiveMigrator
{
    private static readonly object InProgress = new();

    private readonly MigrationContext _context;
    private readonly MigrationPath _path;
    private readonly Dictionary<object, object?> _memo;
    private readonly List<object> _remembered = [];
    private readonly List<RemovedMember> _removed = [];
    private readonly AffectedObjects _affected;
    private readonly int _run;

    public LiveMigrator(MigrationContext context, string root)
    {
        _context = context;
        _path = new MigrationPath(root);
        _memo = context.Pass.Memo;
        _affected = context.Pass.Affected;
        _run = context.NextRun();
    }

    /// <summary>Gets the members dropped because the new types no longer have them.</summary>
    public IReadOnlyList<RemovedMember> Removed => _removed;

    /// <summary>Migrates <paramref name="value"/> into a value assignable to <paramref name="target"/>.</summary>
    /// <exception cref="StateMigrationException">Some part of the value cannot be migrated.</exception>
    public object? Migrate(object? value, Type target)
    {
        try
        {
            return MigrateValue(value, target);
        }
        catch (StateMigrationException)
        {
            Forget();
            throw;
        }
        catch (Exception e)
        {
            Forget();
            // Code the migration runs (a key's GetHashCode, a CompareTo, a constructor) threw, or the
            // graph changed under it: a failure of this value at the path reached, never of the engine.
            var cause = e is System.Reflection.TargetInvocationException { InnerException: { } inner } ? inner : e;
            var frame = new System.Diagnostics.StackTrace(cause, fNeedFileInfo: true).GetFrames().FirstOrDefault(f => f.GetFileName() is not null);
            var where = frame is null ? string.Empty : $" (at {frame.GetFileName()}:{frame.GetFileLineNumber()})";
            throw _path.Fail($"{cause.GetType().Name} while migrating: {cause.Message}{where}", cause).At(frame?.GetFileName(), frame?.GetFileLineNumber() ?? 0);
        }
    }

    /// <summary>Records that <paramref name="value"/> became <paramref name="result"/>, for every value of the pass.</summary>
    private void Remember(object value, object? result)
    {
        if (_memo.TryAdd(value, result))
        {
            _remembered.Add(value);
        }
        else
        {
            _memo[value] = result;
        }
    }

    /// <summary>A value that failed leaves nothing half built for the other values of the pass to reuse.</summary>
    private void Forget()
    {
        foreach (var value in _remembered)
        {
            _memo.Remove(value);
        }

        _remembered.Clear();
    }

    private static Type Effective(Type type) => Nullable.GetUnderlyingType(type) ?? type;

    private object? MigrateValue(object? value, Type target)
    {
        if (value is null)
        {
            return Fit(null, target);
        }

        var type = value.GetType();
        var kind = _context.Classifier.KindOf(type);
        if (kind is ValueKind.Inert or ValueKind.Unreachable)
        {
            return Fit(value, target);
        }

        if (!type.IsValueType && _memo.TryGetValue(value, out var done))
        {
            return ReferenceEquals(done, InProgress)
                ? throw _path.Fail($"{ValueConversions.Describe(type)} is reached again from inside itself through a collection that can only be built once its items are: a cycle Molt cannot rebuild")
                : done;
        }

        return kind switch
        {
            ValueKind.Retiring => MigrateRetiring(value, type, target),
            ValueKind.CompilerGenerated => throw _path.Fail(CompilerGenerated(type)),
            ValueKind.Delegate => Fit(MigrateDelegate((Delegate)value), target),
            ValueKind.Reflection => Fit(MapMember((System.Reflection.MemberInfo)value), target),
            _ when !_affected.IsAffected(value) => Fit(value, target),
            ValueKind.Collection => Fit(RebuildCollection(value, type, type), target),
            ValueKind.Walkable => Fit(CopyOnWrite(value, type), target),
            _ => throw _path.Fail($"{ValueConversions.Describe(type)} is a framework object that holds {_context.Scanner.FindRetiring(value)}, which Molt cannot rebuild inside it. Keep plain data in persistent state (for a query, its results: call ToList())"),
        };
    }

    private object? MigrateRetiring(object value, Type type, Type target)
    {
        if (type.IsEnum)
        {
            return Fit(MigrateEnum(value, type), target);
        }

        var (newType, shape, custom) = _context.RetiringOf(type);
        if (shape is not null)
        {
            return Fit(RebuildCollection(value, type, newType ?? throw _path.Fail($"{ValueConversions.Describe(type)} has no counterpart in the new generation")), target);
        }

        if (custom is not null)
        {
            return Fit(MigrateCustom(value, type, custom), target);
        }

        if (ValueClassifier.IsFramework(type) && !ValueClassifier.IsTuple(type) && !FrameworkCopies.CanCopy(type))
        {
            throw _path.Fail(FrameworkCopies.Refusal(type));
        }

        if (newType is null)
        {
            // Named as [FormerName] takes it: a generic definition without its arity (Box, not Box`1[[Enemy…]]).
            var missing = _context.Types.Unmapped(type).FullName ?? type.Name;
            var name = missing.IndexOf('`', StringComparison.Ordinal) is var tick and >= 0 ? missing[..tick] : missing;
            throw _path.Fail($"type {name} does not exist in the new generation (if it was renamed, mark the new type [FormerName(\"{name}\")])");
        }

        // A class that became a struct (or back) is rebuilt member by member, as a restart reading
        // the value into the new type does: references to one object become copies of one value.
        var migrated = MigrateObject(value, _context.PlanOf(type, newType), lenient: false);
        return target.IsInstanceOfType(migrated) ? migrated : Fit(migrated, target);
    }

    private object MigrateEnum(object value, Type type)
    {
        var newType = _context.Types.Map(type) ?? throw _path.Fail($"enum {type.FullName} does not exist in the new generation");

        return EnumNames.Read(newType, value.ToString()!, out var unknown) ?? throw _path.Fail(EnumNames.Missing(newType, unknown!));
    }

    private static string CompilerGenerated(Type type)
    {
        var name = type.Name;
        var what = name.Contains("AnonymousType", StringComparison.Ordinal) ? "an anonymous type's object (use a record)"
            : name.Contains("DisplayClass", StringComparison.Ordinal) ? "a closure (the variables a lambda captured)"
            : name.Contains(">d__", StringComparison.Ordinal) ? "the state of an iterator or async method"
            : "an object the compiler generated";
        return $"{what}, {type.FullName}, cannot be migrated: its fields mean whatever the old code's compiled form made them mean. Keep the data it works on in state instead";
    }
}
