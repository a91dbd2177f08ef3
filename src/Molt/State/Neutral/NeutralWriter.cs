namespace Molt.State;

/// <summary>Captures a live value as a neutral value (see <see cref="StateNode"/>), keeping shared references and cycles.</summary>
internal sealed class NeutralWriter(MigrationContext context, NeutralMode mode, string root)
{
    private readonly Dictionary<object, StateNode> _memo = new(ReferenceEqualityComparer.Instance);
    private readonly MigrationPath _path = new(root);

    /// <exception cref="StateMigrationException">Part of the value cannot be captured (a delegate; in a snapshot, an unsupported framework type).</exception>
    public object? Write(object? value)
    {
        if (value is null)
        {
            return null;
        }

        var type = value.GetType();
        if (NeutralPrimitives.IsPrimitive(type))
        {
            return value;
        }

        if (type.IsEnum)
        {
            return new StateEnum(type.FullName!, value.ToString()!);
        }

        if (_memo.TryGetValue(value, out var known))
        {
            return known;
        }

        if (value is Delegate || type.IsPointer)
        {
            throw _path.Fail($"{ValueConversions.Describe(type)} is a delegate or pointer and has no neutral form");
        }

        if (value is Array array && !type.IsSZArray && Enumerable.Range(0, array.Rank).Any(d => array.GetLowerBound(d) != 0))
        {
            // Only Array.CreateInstance makes these; the neutral form keeps lengths, not bounds.
            throw _path.Fail($"{ValueConversions.Describe(type)} has a dimension that does not start at 0 and has no neutral form");
        }

        var shape = context.CollectionOf(type);
        if (shape is null && mode == NeutralMode.Live && !context.Types.Involves(type))
        {
            // Host and contract objects keep their identity across generations: hand them over as they are.
            return value;
        }

        if (shape is null && mode == NeutralMode.Snapshot && ValueClassifier.IsFramework(type) && !ValueClassifier.IsTuple(type))
        {
            throw _path.Fail($"{type.FullName} cannot be written to a snapshot (only primitives, enums, collections, tuples and non-framework types can)");
        }

        var name = type.FullName ?? type.Name;
        return shape switch
        {
            { Kind: CollectionKind.Dictionary } => WriteDictionary(value, name),
            not null => WriteList(value, name),
            null => WriteObject(value, type, name),
        };
    }

    private StateDictionary WriteDictionary(object value, string name)
    {
        var entries = new List<KeyValuePair<object?, object?>>();
        var node = new StateDictionary(name, entries);
        _memo[value] = node;
        foreach (System.Collections.DictionaryEntry entry in CollectionShape.Items(value))
        {
            _path.PushKey(entry.Key);
            entries.Add(new(Write(entry.Key), Write(entry.Value)));
            _path.Pop();
        }

        return node;
    }

    private StateList WriteList(object value, string name)
    {
        var items = new List<object?>();
        var node = value is Array { Rank: > 1 } array
            ? new StateList(name, items, [.. Enumerable.Range(0, array.Rank).Select(array.GetLength)])
            : new StateList(name, items);
        _memo[value] = node;
        foreach (var item in CollectionShape.Items(value))
        {
            _path.PushIndex(items.Count);
            items.Add(Write(item));
            _path.Pop();
        }

        return node;
    }

    private StateObject WriteObject(object value, Type type, string name)
    {
        var members = new Dictionary<string, object?>(StringComparer.Ordinal);
        var node = new StateObject(name, members);
        if (!type.IsValueType)
        {
            _memo[value] = node;
        }

        foreach (var (memberName, field) in context.FieldsOf(type).Fields)
        {
            _path.Push(memberName);
            members[memberName] = Write(field.GetValue(value));
            _path.Pop();
        }

        return node;
    }
}
