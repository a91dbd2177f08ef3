namespace Molt;

/// <summary>A generation that was retired (or discarded by a failed reload) and is not known to be collected.</summary>
/// <param name="Module">The module.</param>
/// <param name="Generation">The generation's number.</param>
/// <param name="RetiredAt">When it was retired.</param>
/// <param name="Status">Whether it is pending collection or leaked.</param>
/// <param name="Discarded">Whether it never served: a failed reload loaded and discarded it.</param>
public sealed record RetiredGenerationInfo(string Module, int Generation, DateTimeOffset RetiredAt, RetiredStatus Status, bool Discarded);
