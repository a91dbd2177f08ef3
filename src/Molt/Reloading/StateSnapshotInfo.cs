namespace Molt;

/// <summary>A snapshot of persistent state written to disk.</summary>
/// <param name="Path">The file.</param>
/// <param name="Written">How many values it holds.</param>
/// <param name="Skipped">Values that have no snapshot form (delegates, pointers…), with why.</param>
public sealed record StateSnapshotInfo(string Path, int Written, IReadOnlyList<string> Skipped);
