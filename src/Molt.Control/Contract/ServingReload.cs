namespace Molt.Control;

/// <summary>The reload that applied the generation serving now (<c>unchangedSince</c> of a reload that found nothing to do).</summary>
public sealed record ServingReload
{
    /// <summary>Gets the generation it produced (<c>generation</c>).</summary>
    public required int Generation { get; init; }

    /// <summary>Gets what started it (<c>trigger</c>).</summary>
    public required string Trigger { get; init; }

    /// <summary>Gets when it switched (<c>appliedAt</c>, ISO 8601).</summary>
    public required DateTimeOffset AppliedAt { get; init; }
}
