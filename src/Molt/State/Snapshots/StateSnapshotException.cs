namespace Molt.State;

/// <summary>A state snapshot file could not be read: missing permissions, truncated, corrupt, or of an unknown format.</summary>
internal sealed class StateSnapshotException(string filePath, string location, string reason, Exception? innerException = null)
    : Exception($"State snapshot '{filePath}' is unreadable at {location}: {reason}", innerException)
{
    /// <summary>Gets the snapshot file's path.</summary>
    public string FilePath { get; } = filePath;

    /// <summary>Gets where in the file the problem is: a line and byte position, or a JSON path.</summary>
    public string Location { get; } = location;

    /// <summary>Gets what is wrong.</summary>
    public string Reason { get; } = reason;
}
