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
    private WeakReference<SlotCell>? _retired;

    public string Scope { get; } = scope;

    public string Name { get; } = name;

    /// <summary>Gets a display name for reports and messages: <c>scope/name</c>.</summary>
    public string DisplayName => $"{Scope}/{Name}";

    /// <summary>Gets or sets the policy its latest declaration asked for.</summary>
    public MigrationFailurePolicy Policy { get; set; }

    /// <summary>Gets a lock that makes an initialiser run once.</summary>
    public Lock InitGate { get; } = new();

    public SlotCell Live => Volatile.Read(ref _live);

    public SlotCell? Staged => Volatile.Read(ref _staged);

    public bool TryReplaceLive(SlotCell expected, SlotCell next) => Interlocked.CompareExchange(ref _live, next, expected) == expected;

    public bool TryReplaceStaged(SlotCell expected, SlotCell next) => Interlocked.CompareExchange(ref _staged, next, expected) == expected;

    /// <summary>
    /// Gets the last live cell of the previous epoch: what a retired generation's calls still in flight
    /// read. Held weakly: it must never be what keeps a retired generation's objects (and so its load
    /// context) alive; while such a call runs, it holds them itself.
    /// </summary>
    public SlotCell? Retired => Volatile.Read(ref _retired) is { } weak && weak.TryGetTarget(out var cell) ? cell : null;

    public void SetLive(SlotCell cell)
    {
        var previous = Volatile.Read(ref _live);
        if (previous.Epoch != cell.Epoch)
        {
            Volatile.Write(ref _retired, new WeakReference<SlotCell>(previous));
        }

        Volatile.Write(ref _live, cell);
    }

    public void SetStaged(SlotCell? cell) => Volatile.Write(ref _staged, cell);
}
