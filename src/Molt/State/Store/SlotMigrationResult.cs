namespace Molt.State;

/// <summary>One slot's line in a <see cref="StateMigrationReport"/>.</summary>
/// <param name="Scope">The slot's scope (module name or <see cref="StateStore.SharedScope"/>).</param>
/// <param name="Name">The slot's name.</param>
/// <param name="Outcome">What happened.</param>
/// <param name="Reason">Why it was reset or failed (with the member path), or a note on a migrated value; otherwise <see langword="null"/>.</param>
/// <param name="RemovedMembers">Members whose values were dropped because the new types no longer have them.</param>
internal sealed record SlotMigrationResult(
    string Scope,
    string Name,
    SlotMigrationOutcome Outcome,
    string? Reason,
    IReadOnlyList<RemovedMember> RemovedMembers)
{
    /// <summary>Gets the source file of module code that made the migration fail (a custom migration that threw), if known.</summary>
    public string? File { get; init; }

    /// <summary>Gets the line in <see cref="File"/>, or 0.</summary>
    public int Line { get; init; }

    /// <summary>Gets a value indicating whether the old value was dropped (the slot may have been created again since).</summary>
    public bool WasDropped { get; init; }

    public override string ToString() =>
        $"{Scope}/{Name}: {Outcome}{(Reason is null ? string.Empty : $" ({Reason})")}"
        + (RemovedMembers.Count == 0 ? string.Empty : $"; removed {string.Join(", ", RemovedMembers)}");
}
