namespace Molt.State;

/// <summary>What <see cref="StateStore.WriteSnapshot"/> wrote.</summary>
/// <param name="Written">The number of slots written.</param>
/// <param name="Skipped">Slots that could not be written (<c>scope/name: reason</c>): their values hold something with no neutral form, such as a delegate.</param>
internal sealed record SnapshotWriteResult(int Written, IReadOnlyList<string> Skipped);
