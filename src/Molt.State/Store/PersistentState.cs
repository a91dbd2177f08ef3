namespace Molt.State;

/// <summary>
/// A generation's handle to a slot: reads and writes the slot's cell of the handle's epoch, which is the
/// live cell, or while a reload transaction is open for a new generation, the staged one.
/// </summary>
internal sealed class PersistentState<T>(StateStore store, StateSlot slot, int epoch) : IPersistentState<T>
{
    public string Name => slot.Name;

    public T Value
    {
        get => (T)Read().Value!;
        set
        {
            while (!TryReplace(Current(out var staged), staged, value))
            {
            }
        }
    }

    public T Update(Func<T, T> update)
    {
        ArgumentNullException.ThrowIfNull(update);
        while (true)
        {
            var cell = Current(out var staged);
            var next = update((T)cell.Value!);
            if (TryReplace(cell, staged, next))
            {
                return next;
            }
        }
    }

    /// <summary>
    /// The cell to read. A call of a retired generation still running after the switch reads the
    /// value as it was when the new generation took over (harmless: it is the value that call
    /// started with); only its writes are refused, since they could not reach the new generation.
    /// </summary>
    private SlotCell Read()
    {
        try
        {
            return Current(out _);
        }
        catch (StaleStateHandleException) when (slot.Retired is { Kind: SlotCellKind.Value } retired && retired.Epoch == epoch)
        {
            return retired;
        }
    }

    private SlotCell Current(out bool staged)
    {
        // Live, then staged, then live again: a commit between the reads moves the staged cell to live.
        staged = false;
        var live = slot.Live;
        if (live.Epoch == epoch && live.Kind == SlotCellKind.Value)
        {
            return live;
        }

        if (slot.Staged is { Kind: SlotCellKind.Value } candidate && candidate.Epoch == epoch)
        {
            staged = true;
            return candidate;
        }

        live = slot.Live;
        return live.Epoch == epoch && live.Kind == SlotCellKind.Value ? live : throw new StaleStateHandleException(slot.DisplayName);
    }

    private bool TryReplace(SlotCell cell, bool staged, T value)
    {
        using var _ = store.Gate.EnterWriter();
        return staged ? slot.TryReplaceStaged(cell, cell.With(value)) : slot.TryReplaceLive(cell, cell.With(value));
    }
}
