using System.Text.Json.Nodes;

namespace Molt.State;

/// <summary>Reads snapshot JSON back into neutral values; any deviation from the format is a <see cref="FormatException"/> naming the JSON path.</summary>
internal sealed class SnapshotReader
{
    private readonly Dictionary<int, StateNode> _nodes = [];

    public static List<(string Scope, string Name, object? Value)> ReadSlots(JsonNode? root)
    {
        if (root is not JsonObject document)
        {
            throw Malformed(root, "the document is not a JSON object");
        }

        if (document[SnapshotFormat.Format]?.GetValue<string>() != SnapshotFormat.FormatName)
        {
            throw Malformed(document, $"it is not a Molt state snapshot (no \"{SnapshotFormat.Format}\": \"{SnapshotFormat.FormatName}\")");
        }

        var version = document[SnapshotFormat.VersionProperty]?.GetValue<int>();
        if (version != SnapshotFormat.Version)
        {
            throw Malformed(document, $"format version {version?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "(missing)"} is not supported (expected {SnapshotFormat.Version})");
        }

        if (document[SnapshotFormat.Slots] is not JsonArray slots)
        {
            throw Malformed(document, "it has no slots array");
        }

        var reader = new SnapshotReader();
        var result = new List<(string, string, object?)>();
        foreach (var slot in slots)
        {
            var scope = slot?[SnapshotFormat.Scope]?.GetValue<string>() ?? throw Malformed(slot, "a slot has no scope");
            var name = slot[SnapshotFormat.Name]?.GetValue<string>() ?? throw Malformed(slot, "a slot has no name");
            if (slot is not JsonObject o || !o.ContainsKey(SnapshotFormat.Value))
            {
                throw Malformed(slot, "a slot has no value");
            }

            result.Add((scope, name, reader.Read(slot[SnapshotFormat.Value])));
        }

        return result;
    }

    private static FormatException Malformed(JsonNode? node, string reason) => new($"{node?.GetPath() ?? "$"}: {reason}");

    private object? Read(JsonNode? node)
    {
        switch (node)
        {
            case null:
                return null;
            case JsonValue value when value.TryGetValue<bool>(out var b):
                return b;
            case JsonValue value when value.TryGetValue<string>(out var s):
                return s;
            case JsonValue value when value.TryGetValue<int>(out var i):
                return i;
            case JsonObject o:
                return ReadObject(o);
            default:
                throw Malformed(node, $"unexpected {node.GetValueKind()}");
        }
    }

    private object ReadObject(JsonObject o)
    {
        if (o[SnapshotFormat.Primitive] is { } primitive)
        {
            var text = o[SnapshotFormat.PrimitiveValue]?.GetValue<string>() ?? throw Malformed(o, "a primitive has no value");
            try
            {
                return SnapshotPrimitives.Parse(primitive.GetValue<string>(), text);
            }
            catch (Exception e) when (e is FormatException or OverflowException)
            {
                throw Malformed(o, e.Message);
            }
        }

        if (o[SnapshotFormat.Enum] is { } enumType)
        {
            return new StateEnum(enumType.GetValue<string>(), o[SnapshotFormat.PrimitiveValue]?.GetValue<string>() ?? throw Malformed(o, "an enum has no value"));
        }

        if (o[SnapshotFormat.Ref] is { } reference)
        {
            return _nodes.TryGetValue(reference.GetValue<int>(), out var known) ? known : throw Malformed(o, $"reference to unknown node {reference}");
        }

        var id = o[SnapshotFormat.Id]?.GetValue<int>() ?? throw Malformed(o, "a node has no id");
        var type = o[SnapshotFormat.Type]?.GetValue<string>() ?? throw Malformed(o, "a node has no type");
        return o switch
        {
            _ when o[SnapshotFormat.Members] is JsonObject members => ReadMembers(id, type, members),
            _ when o[SnapshotFormat.Items] is JsonArray array => ReadItems(id, type, array, Lengths(o)),
            _ when o[SnapshotFormat.Entries] is JsonArray entries => ReadEntries(id, type, entries),
            _ => throw Malformed(o, "a node has no members, items or entries"),
        };
    }

    // Each node is registered before its children are read, so a child can refer back to it (cycles).
    private StateObject ReadMembers(int id, string type, JsonObject members)
    {
        var fields = new Dictionary<string, object?>(StringComparer.Ordinal);
        var node = new StateObject(type, fields);
        _nodes[id] = node;
        foreach (var (name, member) in members)
        {
            fields[name] = Read(member);
        }

        return node;
    }

    private StateList ReadItems(int id, string type, JsonArray array, int[]? lengths)
    {
        var items = new List<object?>(array.Count);
        var node = lengths is null ? new StateList(type, items) : new StateList(type, items, lengths);
        _nodes[id] = node;
        items.AddRange(array.Select(Read));
        return node;
    }

    /// <summary>A multi-dimensional array's lengths, which must hold exactly its items.</summary>
    private static int[]? Lengths(JsonObject o)
    {
        if (o[SnapshotFormat.Lengths] is not { } node)
        {
            return null;
        }

        var lengths = node is JsonArray array && array.All(l => l is JsonValue v && v.TryGetValue<int>(out var n) && n >= 0)
            ? array.Select(l => l!.GetValue<int>()).ToArray()
            : throw Malformed(node, "lengths are not an array of non-negative numbers");
        return lengths.Length >= 2 && lengths.Aggregate(1L, (product, length) => product * length) == o[SnapshotFormat.Items]!.AsArray().Count
            ? lengths
            : throw Malformed(node, "a multi-dimensional array needs two or more lengths whose product is its number of items");
    }

    private StateDictionary ReadEntries(int id, string type, JsonArray entries)
    {
        var pairs = new List<KeyValuePair<object?, object?>>(entries.Count);
        var node = new StateDictionary(type, pairs);
        _nodes[id] = node;
        foreach (var entry in entries)
        {
            if (entry is not JsonArray { Count: 2 } pair)
            {
                throw Malformed(entry, "a dictionary entry is not a [key, value] pair");
            }

            pairs.Add(new(Read(pair[0]), Read(pair[1])));
        }

        return node;
    }
}
