namespace Molt.State;

/// <summary>
/// Turns a neutral value (restored from a snapshot, or captured from an old generation) into a value of
/// a real type, member by member, the way <see cref="LiveMigrator"/> does for live objects.
/// </summary>
internal sealed class NeutralReader
{
    private readonly MigrationContext _context;
    private readonly MigrationPath _path;
    private readonly Dictionary<StateNode, object?> _memo = new(ReferenceEqualityComparer.Instance);
    private readonly List<RemovedMember> _removed = [];
    private readonly NeutralTypeNames _names;

    public NeutralReader(MigrationContext context, string root)
    {
        _context = context;
        _path = new MigrationPath(root);
        _names = new NeutralTypeNames(context.Types);
    }

    public IReadOnlyList<RemovedMember> Removed => _removed;

    /// <exception cref="StateMigrationException">Some member does not fit the target type.</exception>
    public object? Read(object? neutral, Type target)
    {
        var effective = Nullable.GetUnderlyingType(target) ?? target;
        switch (neutral)
        {
            case null when target.IsValueType && effective == target:
                throw _path.Fail($"cannot convert null to {ValueConversions.Describe(target)}");
            case null:
                return null;
            case StateEnum e:
                return ReadEnum(e, effective);
            case StateNode node when _memo.TryGetValue(node, out var done):
                // One object met again, declared differently here (a Pos that is also a tuple key): as a reload, refuse.
                return done is null || effective.IsInstanceOfType(done)
                    ? done
                    : throw _path.Fail($"cannot convert {ValueConversions.Describe(done.GetType())} to {ValueConversions.Describe(target)}");
            case StateObject o:
                return ReadObject(o, effective);
            case StateList l:
                return ReadList(l, effective);
            case StateDictionary d:
                return ReadDictionary(d, effective);
            default:
                return ValueConversions.TryConvert(neutral, target, out var converted)
                    ? converted
                    : throw _path.Fail($"cannot convert {ValueConversions.Describe(neutral.GetType())} to {ValueConversions.Describe(target)}");
        }
    }

    private static bool IsConcrete(Type type) => !type.IsAbstract && !type.IsInterface && type != typeof(object);

    private object ReadEnum(StateEnum e, Type target)
    {
        var type = target.IsEnum ? target : _names.Resolve(e.TypeName);
        if (type is not { IsEnum: true } || !target.IsAssignableFrom(type))
        {
            throw _path.Fail($"cannot convert enum {e.TypeName} to {ValueConversions.Describe(target)}");
        }

        return EnumNames.Read(type, e.Name, out var unknown) ?? throw _path.Fail(EnumNames.Missing(type, unknown!));
    }

    private Type? ConcreteType(string typeName, Type target)
    {
        if (target.FullName == typeName && IsConcrete(target))
        {
            return target;
        }

        if (_names.Resolve(typeName) is { } resolved && target.IsAssignableFrom(resolved) && IsConcrete(resolved))
        {
            return resolved;
        }

        // The declared type was renamed and says so (where the resolver does not look): fill it member by
        // member. A type renamed without [FormerName] is refused, as a reload refuses it.
        return IsConcrete(target) && NeutralTypeNames.WasCalled(target, typeName) ? target : null;
    }

    private object? ReadObject(StateObject node, Type target)
    {
        var type = ConcreteType(node.TypeName, target);
        if (_context.Custom.TryGet(node.TypeName, out var custom))
        {
            if (type is null || !IsInShapeOf(node, type))
            {
                return ReadCustom(node, custom, target);
            }

            // The new type's members, each holding a value of its declared type: the value is probably already
            // in the new shape (a snapshot written after the migration ran), so try member by member first and
            // fall back on the custom migration.
            var removed = _removed.Count;
            try
            {
                return ReadFields(node, type);
            }
            catch (StateMigrationException)
            {
                _removed.RemoveRange(removed, _removed.Count - removed);
                return ReadCustom(node, custom, target);
            }
        }

        return type is null
            ? throw _path.Fail($"type {node.TypeName} was not found and does not fit {ValueConversions.Describe(target)}"
                + (IsConcrete(target) && !ValueClassifier.IsFramework(target) ? $" (if it was renamed, mark the new type [FormerName(\"{_names.Unresolved(node.TypeName)}\")])" : ""))
            : ReadFields(node, type);
    }

    /// <summary>
    /// Whether <paramref name="node"/> has exactly <paramref name="type"/>'s members, each number,
    /// string or enum of its member's declared type (an <c>int</c> where a <c>long</c> is declared is
    /// the old shape). Nested objects answer for themselves when they are read.
    /// </summary>
    private bool IsInShapeOf(StateObject node, Type type)
    {
        var fields = _context.FieldsOf(type);
        return fields.HasExactly(node.Members.Keys) && node.Members.All(m => Fits(m.Value, fields.Find(m.Key)!.FieldType));

        static bool Fits(object? value, Type declared)
        {
            var type = Nullable.GetUnderlyingType(declared) ?? declared;
            return value switch
            {
                StateEnum e => type.FullName == e.TypeName,
                null or StateNode => true,
                _ => type == typeof(object) || value.GetType() == type,
            };
        }
    }

    private object ReadFields(StateObject node, Type type, bool lenient = false)
    {
        object result;
        try
        {
            result = _context.FactoryOf(type).Create();
        }
        catch (Exception e) when (e is System.Reflection.TargetInvocationException or MissingMethodException or InvalidOperationException)
        {
            throw _path.Fail($"cannot create a {type.FullName}: {e.InnerException?.Message ?? e.Message}", e);
        }

        if (!type.IsValueType)
        {
            _memo[node] = result;
        }

        var fields = _context.FieldsOf(type);
        foreach (var (name, value) in node.Members)
        {
            if (fields.Find(name) is not { } field)
            {
                _removed.Add(new RemovedMember(node.TypeName, name));
                continue;
            }

            _path.Push(name);
            try
            {
                field.SetValue(result, Read(value, field.FieldType));
            }
            catch (StateMigrationException) when (lenient)
            {
                // Left at its default: the custom migration that asked for this value sets it.
            }

            _path.Pop();
        }

        return result;
    }

    private object? ReadCustom(StateObject node, CustomMigration custom, Type target)
    {
        var migrated = custom.TakesMigrated ? ReadFields(node, custom.NewType, lenient: true) : null;
        var result = custom.Invoke(node, migrated, _path);
        if (result is not null && !target.IsInstanceOfType(result))
        {
            throw _path.Fail($"custom migration {custom.Name} returned a {result.GetType().FullName}, which does not fit {ValueConversions.Describe(target)}");
        }

        _memo[node] = result;
        return result;
    }

    private CollectionShape ShapeFor(StateNode node, Type target)
    {
        if (_context.CollectionOf(target) is { } declared)
        {
            return declared;
        }

        if (_names.Resolve(node.TypeName) is { } resolved && target.IsAssignableFrom(resolved) && _context.CollectionOf(resolved) is { } shape)
        {
            return shape;
        }

        throw _path.Fail($"cannot convert {node.TypeName} to {ValueConversions.Describe(target)}");
    }

    private object ReadList(StateList node, Type target)
    {
        var shape = ShapeFor(node, target);
        if (shape.Kind == CollectionKind.Dictionary)
        {
            throw _path.Fail($"cannot convert a list to {ValueConversions.Describe(target)}");
        }

        CheckDimensions(node, shape, target);
        var begun = shape.Begin(node.Items.Count, null, node);
        _memo[node] = begun;
        var items = new List<object?>(node.Items.Count);
        for (var i = 0; i < node.Items.Count; i++)
        {
            _path.PushIndex(i);
            items.Add(Read(node.Items[i], shape.ItemType));
            _path.Pop();
        }

        return Completed(node, shape.Complete(begun, items, null, node), target);
    }

    /// <summary>A multi-dimensional array is read only into an array of as many dimensions, so every item keeps its place.</summary>
    private void CheckDimensions(StateList node, CollectionShape shape, Type target)
    {
        var rank = shape.Type.IsArray && !shape.Type.IsSZArray ? shape.Type.GetArrayRank() : 1;
        if (rank != (node.Lengths?.Count ?? 1))
        {
            var what = node.Lengths is { } lengths ? $"a {node.TypeName} of lengths [{string.Join(", ", lengths)}]" : $"a {node.TypeName}, which has no dimensions,";
            throw _path.Fail($"cannot convert {what} to {ValueConversions.Describe(target)}: its items would not keep their places");
        }

        if (node.Lengths is { } dimensions && dimensions.Aggregate(1L, (product, length) => product * length) != node.Items.Count)
        {
            throw _path.Fail($"{node.TypeName}'s lengths [{string.Join(", ", dimensions)}] do not hold its {node.Items.Count} items");
        }
    }

    private object ReadDictionary(StateDictionary node, Type target)
    {
        var shape = ShapeFor(node, target);
        if (shape.Kind != CollectionKind.Dictionary)
        {
            throw _path.Fail($"cannot convert a dictionary to {ValueConversions.Describe(target)}");
        }

        var begun = shape.Begin(node.Entries.Count, null, null);
        _memo[node] = begun;
        var entries = new List<object?>(node.Entries.Count);
        foreach (var (key, value) in node.Entries)
        {
            _path.PushKey(key);
            var newKey = Read(key, shape.ItemType);
            if (newKey is null && shape.IsKeyed)
            {
                throw _path.Fail("a dictionary key is null");
            }

            entries.Add(new System.Collections.DictionaryEntry(newKey!, Read(value, shape.ValueType!)));
            _path.Pop();
        }

        return Completed(node, shape.Complete(begun, entries, null, null), target);
    }

    private object Completed(StateNode node, (object Collection, int Collapsed) built, Type target)
    {
        if (built.Collapsed > 0)
        {
            throw _path.Fail($"{built.Collapsed} items or keys are equal to others in {ValueConversions.Describe(target)}");
        }

        _memo[node] = built.Collection;
        return built.Collection;
    }
}
