namespace Molt.State;

/// <summary>
/// A generation's handle to a slot: reads and writes the slot's cell of the handle's epoch, which is the
/// live cell, or while a reload transaction is open for a new generation, the staged one.
/// </summary>
internal sealed class PersistentState<T> : IPersistentState<T>, IRetirableHandle
{
    private readonly StateStore _store;
    private readonly StateSlot _slot;
    private readonly int _epoch;
    private readonly StateMigrationTransaction? _loading;
    private SlotCell? _final;
    private volatile bool _discarded;

    /// <param name="store">The store.</param>
    /// <param name="slot">The slot.</param>
    /// <param name="epoch">The epoch of the cells the handle reads and writes.</param>
    /// <param name="loading">The reload transaction that gave the handle to a generation it loads: until it ends, the handle uses the staged cell.</param>
    public PersistentState(StateStore store, StateSlot slot, int epoch, StateMigrationTransaction? loading = null)
    {
        _store = store;
        _slot = slot;
        _epoch = epoch;
        _loading = loading;
        slot.Register(this);
    }

    public string Name => _slot.Name;

    int IRetirableHandle.Epoch => _epoch;

    Type IRetirableHandle.ValueType => typeof(T);

    void IRetirableHandle.Retire(SlotCell last) => Volatile.Write(ref _final, last);

    public void Discard() => _discarded = true;

    public T Value
    {
        get => (T)Read().Value!;
        set
        {
            using var writing = _store.Gate.EnterWriter();
            lock (_slot.WriteGate)
            {
                Replace(value);
            }
        }
    }

    /// <summary>
    /// Runs <paramref name="update"/> on the value and stores what it returns, as one step: the
    /// function runs once, alone among the slot's writers, and a reload's migration never reads
    /// the value while it runs, so it may change the value in place.
    /// </summary>
    public T Update(Func<T, T> update)
    {
        ArgumentNullException.ThrowIfNull(update);
        using var writing = _store.Gate.EnterWriter();
        lock (_slot.WriteGate)
        {
            var next = update((T)Current(out _).Value!);
            Replace(next);
            return next;
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
        catch (StaleStateHandleException) when (Volatile.Read(ref _final) is { Kind: SlotCellKind.Value } last)
        {
            return last;
        }
    }

    private SlotCell Current(out bool staged)
    {
        if (_discarded)
        {
            throw new InvalidOperationException($"The persistent value '{_slot.DisplayName}' was given to a generation whose reload failed: that generation can no longer read or write it.");
        }

        // A generation being loaded shares a carried-over value through a cell of its own until commit.
        if (_loading is { IsOpen: true } && _slot.Staged is { Kind: SlotCellKind.Value } own && own.Epoch == _epoch)
        {
            staged = true;
            return own;
        }

        // Live, then staged, then live again: a commit between the reads moves the staged cell to live.
        staged = false;
        var live = _slot.Live;
        if (live.Epoch == _epoch && live.Kind == SlotCellKind.Value)
        {
            return live;
        }

        if (_slot.Staged is { Kind: SlotCellKind.Value } candidate && candidate.Epoch == _epoch)
        {
            staged = true;
            return candidate;
        }

        live = _slot.Live;
        return live.Epoch == _epoch && live.Kind == SlotCellKind.Value ? live : throw new StaleStateHandleException(_slot.DisplayName);
    }

    /// <summary>Stores <paramref name="value"/> in the handle's cell. The caller holds the slot's lock and the store's gate, so nothing else can move the cell.</summary>
    private void Replace(T value)
    {
        var cell = Current(out var staged);
        if (!(staged ? _slot.TryReplaceStaged(cell, cell.With(value)) : _slot.TryReplaceLive(cell, cell.With(value))))
        {
            throw new InvalidOperationException($"The persistent value '{_slot.DisplayName}' changed under its write lock.");
        }
    }
}
