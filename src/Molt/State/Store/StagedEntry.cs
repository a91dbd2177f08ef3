namespace Molt.State;

/// <summary>What a reload transaction knows about one slot: the live version it staged from and the outcome so far.</summary>
internal sealed class StagedEntry(StateSlot slot, long fromVersion)
{
    public StateSlot Slot { get; } = slot;

    /// <summary>Gets or sets the live version the staged value was computed from; a later live version means the retiring generation wrote since.</summary>
    public long FromVersion { get; set; } = fromVersion;

    /// <summary>Gets or sets the staged cell as the transaction left it; any other staged cell at commit was written by the new generation.</summary>
    public SlotCell? InitialStaged { get; set; }

    public SlotMigrationOutcome Outcome { get; set; }

    public string? Reason { get; set; }

    public IReadOnlyList<RemovedMember> Removed { get; set; } = [];

    /// <summary>Gets or sets the type the new generation declared the slot with, if it did.</summary>
    public Type? DeclaredType { get; set; }

    /// <summary>Gets or sets the epoch of the handles given to the new generation, which commit must publish at.</summary>
    public int? HandleEpoch { get; set; }

    /// <summary>Gets or sets where module code made the migration fail, if it did.</summary>
    public (string? File, int Line) Location { get; set; }

    /// <summary>Gets or sets a value indicating whether the value was dropped (and maybe created again since).</summary>
    public bool WasDropped { get; set; }

    public SlotMigrationResult ToResult() => new(Slot.Scope, Slot.Name, Outcome, Reason, Removed) { File = Location.File, Line = Location.Line, WasDropped = WasDropped };
}
