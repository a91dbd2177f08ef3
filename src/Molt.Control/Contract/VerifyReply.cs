namespace Molt.Control;

/// <summary>The result of <c>verify</c>, sent once the unload verifier has checked every retired generation.</summary>
public sealed record VerifyReply
{
    /// <summary>Gets whether no retired generation leaked (<c>ok</c>).</summary>
    public required bool Ok { get; init; }

    /// <summary>Gets the retired generations still in memory (<c>retiredAlive</c>).</summary>
    public required IReadOnlyList<RetiredModuleGeneration> RetiredAlive { get; init; }
}
