namespace Molt.Control;

/// <summary>The result of <c>snapshot</c>: the persistent-state snapshot just written.</summary>
public sealed record SnapshotReply
{
    /// <summary>Gets the file (<c>path</c>).</summary>
    public required string Path { get; init; }

    /// <summary>Gets how many values it holds (<c>written</c>).</summary>
    public required int Written { get; init; }

    /// <summary>Gets the values that have no snapshot form (delegates, pointers…), each with why (<c>skipped</c>).</summary>
    public required IReadOnlyList<string> Skipped { get; init; }
}
