namespace Molt.State;

/// <summary>One persistent value of the store, keyed by scope and name.</summary>
/// <remarks>
/// <see cref="Live"/> is what the serving generation reads and writes. While a reload transaction is open,
/// <see cref="Staged"/> holds the value migrated for the next generation (one epoch later); commit moves it to
/// <see cref="Live"/>. Neither holds anything of a retired generation once a transaction ends.
/// </remarks>
internal sealed class StateSlot(string scope, string name)
{
    private SlotCell _live = SlotCell.Empty;
    private SlotCell? _staged;
    private readonly List<WeakReference<IRetirableHandle>> _handles = [];

    public string Scope { get; } = scope;

    public string Name { get; } = name;

    /// <summary>Gets a display name for reports and messages: <c>scope/name</c>.</summary>
    public string DisplayName => $"{Scope}/{Name}";

    /// <summary>Gets or sets the policy its latest declaration asked for.</summary>
    public MigrationFailurePolicy Policy { get; set; }

    /// <summary>
    /// Gets the lock every write of the slot holds for its whole length (an <c>Update</c>'s function
    /// included), and that staging holds while it reads the value: a migration never reads a value
    /// some writer is changing in place.
    /// </summary>
    public Lock WriteGate { get; } = new();

    /// <summary>Gets a lock that makes an initialiser run once.</summary>
    public Lock InitGate { get; } = new();

    public SlotCell Live => Volatile.Read(ref _live);

    public SlotCell? Staged => Volatile.Read(ref _staged);

    public bool TryReplaceLive(SlotCell expected, SlotCell next) => Interlocked.CompareExchange(ref _live, next, expected) == expected;

    public bool TryReplaceStaged(SlotCell expected, SlotCell next) => Interlocked.CompareExchange(ref _staged, next, expected) == expected;

    /// <summary>
    /// Remembers a handle, weakly, so that when its epoch ends it can be given the epoch's last cell:
    /// what a retired generation's calls still in flight read.
    /// </summary>
    public void Register(IRetirableHandle handle)
    {
        lock (_handles)
        {
            _handles.RemoveAll(h => !h.TryGetTarget(out _));
            _handles.Add(new WeakReference<IRetirableHandle>(handle));
        }
    }

    /// <summary>Gets the types the live handles of <paramref name="epoch"/> read the value as.</summary>
    public IReadOnlyList<Type> HandleTypes(int epoch)
    {
        lock (_handles)
        {
            return [.. _handles.Select(h => h.TryGetTarget(out var handle) && handle.Epoch == epoch ? handle.ValueType : null).OfType<Type>()];
        }
    }

    public void SetLive(SlotCell cell)
    {
        var previous = Volatile.Read(ref _live);
        if (previous.Epoch != cell.Epoch)
        {
            // Before the new cell is published, so no reader of an old handle ever finds neither.
            // (Commits hold the writer gate: the previous cell cannot change in between.) The handle
            // holds it strongly: a cycle inside the retired generation (its statics hold the handle),
            // so it lives exactly as long as that generation and never pins it.
            lock (_handles)
            {
                foreach (var weak in _handles)
                {
                    if (weak.TryGetTarget(out var handle) && handle.Epoch == previous.Epoch)
                    {
                        handle.Retire(previous);
                    }
                }

                _handles.RemoveAll(h => !h.TryGetTarget(out var handle) || handle.Epoch == previous.Epoch);
            }
        }

        Volatile.Write(ref _live, cell);
    }

    public void SetStaged(SlotCell? cell) => Volatile.Write(ref _staged, cell);
}
