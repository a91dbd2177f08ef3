using System.Collections;

namespace Molt.State;

/// <summary>Collections: rebuilt through their API with migrated items (their hash layout depends on the items).</summary>
internal sealed partial class LiveMigrator
{
    private object MigrateCollection(object value, CollectionShape newShape)
    {
        var count = CollectionShape.Count(value);
        var result = newShape.Create(count, value, _context.Types.Involves);
        _memo[value] = result;

        if (newShape.Kind == CollectionKind.Dictionary)
        {
            foreach (DictionaryEntry entry in CollectionShape.Items(value))
            {
                _path.PushKey(entry.Key);
                var key = MigrateValue(entry.Key, newShape.ItemType)!;
                var item = MigrateValue(entry.Value, newShape.ValueType!);
                _path.Pop();
                CollectionShape.AddEntry(result, key, item);
            }

            return result;
        }

        var items = new List<object?>(count);
        var index = 0;
        foreach (var item in CollectionShape.Items(value))
        {
            _path.PushIndex(index++);
            items.Add(MigrateValue(item, newShape.ItemType));
            _path.Pop();
        }

        newShape.Fill(result, items);
        return result;
    }

    /// <summary>Looks through arrays and collections (not host objects) for anything of a retiring type.</summary>
    private bool ContainsRetiring(object value, HashSet<object> visited)
    {
        var type = value.GetType();
        if (_context.Types.Involves(type))
        {
            return true;
        }

        if (_context.CollectionOf(type) is not { IsPolymorphic: true } || !visited.Add(value))
        {
            return false;
        }

        foreach (var item in CollectionShape.Items(value))
        {
            if (item is DictionaryEntry entry
                ? ContainsRetiring(entry.Key, visited) || (entry.Value is { } v && ContainsRetiring(v, visited))
                : item is not null && ContainsRetiring(item, visited))
            {
                return true;
            }
        }

        return false;
    }
}
