namespace Molt.State;

/// <summary>What a reload transaction did, or would do, to every slot.</summary>
internal sealed class StateMigrationReport(IReadOnlyList<SlotMigrationResult> slots)
{
    public IReadOnlyList<SlotMigrationResult> Slots { get; } = slots;

    /// <summary>Gets a value indicating whether no slot failed (resets do not fail a reload: they are reported).</summary>
    public bool Succeeded => Slots.All(s => s.Outcome != SlotMigrationOutcome.Failed);

    public IEnumerable<SlotMigrationResult> Failures => Slots.Where(s => s.Outcome == SlotMigrationOutcome.Failed);

    public SlotMigrationResult? this[string scope, string name] =>
        Slots.FirstOrDefault(s => s.Scope == scope && s.Name == name);

    public override string ToString() => string.Join(Environment.NewLine, Slots);
}
