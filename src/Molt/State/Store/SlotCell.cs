namespace Molt.State;

/// <summary>
/// One immutable state of a slot. Writers replace the whole cell with a compare-and-swap, so a reader
/// never sees a torn value, and <see cref="Version"/> tells a reload transaction whether the slot was
/// written since it staged the slot's migration.
/// </summary>
/// <param name="Kind">What the cell holds.</param>
/// <param name="Value">The value (a <see cref="StateNode"/> tree when <see cref="Kind"/> is <see cref="SlotCellKind.Neutral"/>).</param>
/// <param name="Version">Incremented by every write.</param>
/// <param name="Epoch">The slot's type generation: handles only read and write cells of their own epoch.</param>
internal sealed record SlotCell(SlotCellKind Kind, object? Value, long Version, int Epoch)
{
    public static SlotCell Empty { get; } = new(SlotCellKind.Empty, null, 0, 0);

    public SlotCell With(object? value) => new(SlotCellKind.Value, value, Version + 1, Epoch);
}
