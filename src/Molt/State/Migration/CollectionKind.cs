namespace Molt.State;

/// <summary>How a collection is rebuilt: collections are recreated through their public API, never copied field by field, because their internal layout (hash buckets) depends on their items.</summary>
internal enum CollectionKind
{
    Array,
    Sequence,
    Stack,
    Dictionary,
}
