namespace Molt.State;

/// <summary>The snapshot file's names, shared by its writer and reader.</summary>
/// <remarks>
/// A snapshot is one JSON object: <c>{"format":"molt-state","version":1,"slots":[{"scope","name","value"}]}</c>.
/// A value is JSON <c>null</c>, a boolean, a string, a number (an <see cref="int"/>; other primitives are
/// tagged <c>{"$p":"Int64","v":"…"}</c> so they come back as the same type), <c>{"$enum":type,"v":name}</c>,
/// or a node with an id: <c>{"$id":n,"$type":t,"$m":{…}}</c> (object), <c>"$items":[…]</c> (list; a
/// multi-dimensional array adds <c>"$lengths":[…]</c>, its items in row-major order) or
/// <c>"$entries":[[k,v],…]</c> (dictionary). A node met again is written <c>{"$ref":n}</c>, which keeps
/// shared references and cycles.
/// </remarks>
internal static class SnapshotFormat
{
    public const string FormatName = "molt-state";
    public const int Version = 1;
    public const string Format = "format";
    public const string VersionProperty = "version";
    public const string Slots = "slots";
    public const string Scope = "scope";
    public const string Name = "name";
    public const string Value = "value";
    public const string Primitive = "$p";
    public const string Enum = "$enum";
    public const string PrimitiveValue = "v";
    public const string Id = "$id";
    public const string Ref = "$ref";
    public const string Type = "$type";
    public const string Members = "$m";
    public const string Items = "$items";
    public const string Lengths = "$lengths";
    public const string Entries = "$entries";
}
