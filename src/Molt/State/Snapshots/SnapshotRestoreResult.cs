namespace Molt.State;

/// <summary>What <see cref="StateStore.RestoreSnapshot"/> restored.</summary>
/// <param name="FileFound">Whether the snapshot file existed (a first start has none, which is not an error).</param>
/// <param name="Restored">The number of slots restored; zero when the file was unreadable.</param>
/// <param name="Error">Why the file could not be read, or <see langword="null"/>; the store then starts from initial values.</param>
internal sealed record SnapshotRestoreResult(bool FileFound, int Restored, StateSnapshotException? Error)
{
    public bool Succeeded => Error is null;
}
