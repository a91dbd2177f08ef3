namespace Molt.Control;

/// <summary>A module's generation that was retired (or discarded by a failed reload) and is not known to be collected.</summary>
public sealed record RetiredModuleGeneration
{
    /// <summary>Gets the module (<c>module</c>).</summary>
    public required string Module { get; init; }

    /// <summary>Gets the generation's number (<c>generation</c>).</summary>
    public required int Generation { get; init; }

    /// <summary>Gets when it was retired (<c>retiredAt</c>, ISO 8601).</summary>
    public required DateTimeOffset RetiredAt { get; init; }

    /// <summary>Gets whether it is waiting to be collected or leaked (<c>status</c>): <c>pending</c>, <c>collected</c> or <c>leaked</c>.</summary>
    public required string Status { get; init; }

    /// <summary>Gets whether it never served (<c>discarded</c>): a failed reload loaded and discarded it.</summary>
    public required bool Discarded { get; init; }
}
