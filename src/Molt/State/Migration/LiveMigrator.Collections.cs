using System.Collections;

namespace Molt.State;

/// <summary>Collections: rebuilt through their API with migrated items, keys and comparer (their layout depends on them).</summary>
internal sealed partial class LiveMigrator
{
    /// <summary>Rebuilds <paramref name="value"/> (of <paramref name="type"/>) as a <paramref name="newType"/> of migrated items.</summary>
    private object RebuildCollection(object value, Type type, Type newType)
    {
        var oldShape = _context.CollectionOf(type)!;
        var newShape = _context.CollectionOf(newType) ?? throw _path.Fail($"{ValueConversions.Describe(newType)} is not a collection Molt can rebuild");
        _path.Push("(comparer)");
        var comparer = oldShape.ComparerOf(value) is { } old ? MigrateValue(old, typeof(object)) : null;
        _path.Pop();

        var count = CollectionShape.Count(value);
        var begun = newShape.Begin(count, comparer, value);
        Remember(value, begun ?? InProgress);
        var items = newShape.Kind == CollectionKind.Dictionary ? MigrateEntries(value, newShape, count) : MigrateItems(value, newShape, count);
        var (result, collapsed) = newShape.Complete(begun, items, comparer, value);
        if (collapsed > 0)
        {
            var what = newShape.Kind == CollectionKind.Dictionary ? "keys" : "items";
            throw _path.Fail($"{collapsed} of its {count} {what} became equal to others under the new types' equality (or the new comparer), so the rebuilt {ValueConversions.Describe(newType)} would lose them. Add a [StateMigration] method for the container's owner, or keep the keys distinct");
        }

        Remember(value, result);
        return result;
    }

    private List<object?> MigrateItems(object value, CollectionShape shape, int count)
    {
        var items = new List<object?>(count);
        foreach (var item in CollectionShape.Items(value))
        {
            _path.PushIndex(items.Count);
            items.Add(MigrateValue(item, shape.ItemType));
            _path.Pop();
        }

        return items;
    }

    private List<object?> MigrateEntries(object value, CollectionShape shape, int count)
    {
        var entries = new List<object?>(count);
        foreach (DictionaryEntry entry in CollectionShape.Items(value))
        {
            _path.PushKey(entry.Key);
            var key = MigrateValue(entry.Key, shape.ItemType);
            if (key is null && shape.IsKeyed)
            {
                throw _path.Fail("a key became null");
            }

            entries.Add(new DictionaryEntry(key!, MigrateValue(entry.Value, shape.ValueType!)));
            _path.Pop();
        }

        return entries;
    }

    /// <summary>
    /// Fits a migrated value to the type of the member (or item) that receives it: as is when it
    /// already fits, widened when a number grew, converted between sequences (a list becoming an
    /// array, say); anything else is refused.
    /// </summary>
    private object? Fit(object? value, Type target)
    {
        if (value is null)
        {
            return target.IsValueType && Nullable.GetUnderlyingType(target) is null
                ? throw _path.Fail($"cannot convert null to {ValueConversions.Describe(target)}")
                : null;
        }

        if (ValueConversions.TryConvert(value, target, out var converted))
        {
            return converted;
        }

        if (_context.CollectionOf(value.GetType()) is { Kind: not CollectionKind.Dictionary } from
            && _context.CollectionOf(Effective(target)) is { Kind: not CollectionKind.Dictionary } to)
        {
            if (Rank(from.Type) != Rank(to.Type))
            {
                throw _path.Fail($"cannot convert {ValueConversions.Describe(from.Type)} to {ValueConversions.Describe(to.Type)}: its items would not keep their places (a multi-dimensional array converts only into one of as many dimensions)");
            }

            var items = new List<object?>();
            foreach (var item in CollectionShape.Items(value))
            {
                _path.PushIndex(items.Count);
                items.Add(Fit(item, to.ItemType));
                _path.Pop();
            }

            var (result, collapsed) = to.Build(items, null, value);
            return collapsed == 0 ? result : throw _path.Fail($"converting {ValueConversions.Describe(from.Type)} to {ValueConversions.Describe(to.Type)} would merge {collapsed} equal items");
        }

        if (_context.CollectionOf(value.GetType()) is { Kind: CollectionKind.Dictionary } fromMap
            && _context.CollectionOf(Effective(target)) is { Kind: CollectionKind.Dictionary } toMap)
        {
            return ConvertEntries(value, fromMap, toMap);
        }

        throw _path.Fail($"cannot convert {ValueConversions.Describe(value.GetType())} to {ValueConversions.Describe(target)}");
    }

    /// <summary>
    /// A dictionary (or priority queue) into another kind of one, entry by entry, with the new
    /// kind's default comparer: what a restart reading the entries into the new type builds.
    /// </summary>
    private object ConvertEntries(object value, CollectionShape from, CollectionShape to)
    {
        var entries = new List<object?>();
        foreach (DictionaryEntry entry in CollectionShape.Items(value))
        {
            _path.PushKey(entry.Key);
            entries.Add(new DictionaryEntry(Fit(entry.Key, to.ItemType)!, Fit(entry.Value, to.ValueType!)));
            _path.Pop();
        }

        var (result, collapsed) = to.Build(entries, null, value);
        return collapsed == 0 ? result : throw _path.Fail($"converting {ValueConversions.Describe(from.Type)} to {ValueConversions.Describe(to.Type)} would merge {collapsed} equal keys");
    }

    private static int Rank(Type type) => type.IsArray && !type.IsSZArray ? type.GetArrayRank() : 1;
}
