namespace Molt.State;

/// <summary>
/// A reload of persistent state: migrated values are staged for the new generation while the retiring one
/// keeps serving the live values; <see cref="Commit"/> publishes them all at once, <see cref="Dispose"/>
/// without commit drops them.
/// </summary>
/// <remarks>
/// <para>
/// Writes the retiring generation makes to a slot after it was staged are not lost: commit sees the slot's
/// version moved and migrates the latest value again. If the new generation also wrote to that slot during
/// the transaction, its value is kept and the report says so.
/// </para>
/// <para>
/// After commit, the retiring generation's handles to migrated slots throw <see cref="StaleStateHandleException"/>
/// on read and write (their type no longer exists in the store); handles to carried-over slots keep working.
/// </para>
/// </remarks>
internal sealed class StateMigrationTransaction : IDisposable
{
    private readonly StateStore _store;
    private readonly Lock _gate = new();
    private readonly Dictionary<StateSlot, StagedEntry> _entries = [];
    private readonly List<StagedEntry> _order = [];
    private MigrationContext? _context;
    private bool _done;

    internal StateMigrationTransaction(StateStore store, MigrationContext context)
    {
        _store = store;
        _context = context;
    }

    /// <summary>Gets what the transaction did, or would do, to each slot it touched.</summary>
    public StateMigrationReport Report
    {
        get
        {
            lock (_gate)
            {
                return new StateMigrationReport([.. _order.Select(e => e.ToResult())]);
            }
        }
    }

    /// <summary>Gets a value indicating whether no slot failed so far.</summary>
    public bool Succeeded => Report.Succeeded;

    /// <summary>
    /// Declares a slot for the generation being loaded, as <see cref="StateStore.GetOrCreate{T}"/> does, but
    /// against the staged values: the handle sees the migrated value now and the live slot after commit.
    /// </summary>
    /// <exception cref="InvalidOperationException">The transaction is over, or the slot failed to migrate.</exception>
    public IPersistentState<T> GetOrCreate<T>(string scope, string name, Func<T> initialValue, MigrationFailurePolicy policy)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(scope);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(initialValue);
        lock (_gate)
        {
            var context = Context;
            var slot = _store.Slot(scope, name);
            slot.Policy = policy;
            if (!_entries.TryGetValue(slot, out var entry) || entry.Outcome == SlotMigrationOutcome.CarriedOver)
            {
                var live = slot.Live;
                if (live.Kind == SlotCellKind.Value && StateStore.Fits<T>(live.Value))
                {
                    entry ??= Track(new StagedEntry(slot, live.Version) { Outcome = SlotMigrationOutcome.CarriedOver });
                    entry.DeclaredType = typeof(T);
                    entry.HandleEpoch = live.Epoch;
                    return new PersistentState<T>(_store, slot, live.Epoch);
                }

                entry = Declare(slot, live, context, typeof(T), () => initialValue());
            }

            entry.DeclaredType = typeof(T);
            if (entry.Outcome == SlotMigrationOutcome.Failed)
            {
                throw new InvalidOperationException($"The persistent value '{slot.DisplayName}' could not be migrated: {entry.Reason}");
            }

            var staged = slot.Staged!;
            if (staged.Kind == SlotCellKind.Empty)
            {
                // Reset by this reload: the new generation's initialiser gives the value.
                staged = staged.With(initialValue());
            }
            else if (!StateStore.Fits<T>(staged.Value))
            {
                staged = Convert(slot, staged, context, typeof(T));
            }

            slot.SetStaged(staged);
            entry.InitialStaged = staged;
            entry.HandleEpoch = staged.Epoch;
            return new PersistentState<T>(_store, slot, staged.Epoch);
        }
    }

    /// <summary>
    /// Publishes every staged value, migrating again those the retiring generation wrote since staging.
    /// Writers wait for the instant this takes; readers never do.
    /// </summary>
    /// <returns>The final report; if it did not succeed, nothing was published and the transaction is aborted.</returns>
    /// <exception cref="InvalidOperationException">The transaction is already over.</exception>
    public StateMigrationReport Commit()
    {
        lock (_gate)
        {
            var context = Context;
            var publish = new List<(StateSlot Slot, SlotCell Cell)>();
            using (_store.Gate.EnterCommit())
            {
                foreach (var entry in _order.ToArray())
                {
                    if (entry.Outcome == SlotMigrationOutcome.Failed)
                    {
                        break;
                    }

                    if (Finish(entry, context) is { } cell)
                    {
                        publish.Add((entry.Slot, cell));
                    }
                }

                if (_order.Any(e => e.Outcome == SlotMigrationOutcome.Failed))
                {
                    Abort();
                    return new StateMigrationReport([.. _order.Select(e => e.ToResult())]);
                }

                foreach (var (slot, cell) in publish)
                {
                    slot.SetLive(cell);
                    slot.SetStaged(null);
                }
            }

            End();
            return new StateMigrationReport([.. _order.Select(e => e.ToResult())]);
        }
    }

    /// <summary>Aborts the transaction unless it committed: staged values are dropped and live values stay as they were.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (!_done)
            {
                Abort();
            }
        }
    }

    internal void StageAll(StateSlot[] slots)
    {
        lock (_gate)
        {
            foreach (var slot in slots)
            {
                var live = slot.Live;
                if (live.Kind == SlotCellKind.Value)
                {
                    Stage(Track(new StagedEntry(slot, live.Version)), live, Context, typeof(object));
                }
            }
        }
    }

    private MigrationContext Context => _done || _context is null
        ? throw new InvalidOperationException("The reload transaction is over (committed or disposed).")
        : _context;

    private StagedEntry Track(StagedEntry entry)
    {
        _entries[entry.Slot] = entry;
        _order.Add(entry);
        return entry;
    }

    /// <summary>Migrates the live value into a staged cell one epoch later (or notes it carries over, resets or fails).</summary>
    private static void Stage(StagedEntry entry, SlotCell live, MigrationContext context, Type target)
    {
        var slot = entry.Slot;
        entry.FromVersion = live.Version;
        entry.Reason = null;
        var migrator = new LiveMigrator(context, slot.Name);
        try
        {
            var migrated = migrator.Migrate(live.Value, target);
            entry.Removed = migrator.Removed;
            if (ReferenceEquals(migrated, live.Value))
            {
                entry.Outcome = SlotMigrationOutcome.CarriedOver;
                slot.SetStaged(null);
                entry.InitialStaged = null;
                return;
            }

            entry.Outcome = SlotMigrationOutcome.Migrated;
            entry.InitialStaged = new SlotCell(SlotCellKind.Value, migrated, 0, live.Epoch + 1);
        }
        catch (StateMigrationException e)
        {
            Fail(entry, live, e.Message);
            return;
        }

        slot.SetStaged(entry.InitialStaged);
    }

    private static void Fail(StagedEntry entry, SlotCell live, string reason)
    {
        entry.Reason = reason;
        entry.Removed = [];
        if (entry.Slot.Policy == MigrationFailurePolicy.Reset)
        {
            entry.Outcome = SlotMigrationOutcome.Reset;
            entry.InitialStaged = new SlotCell(SlotCellKind.Empty, null, 0, live.Epoch + 1);
            entry.Slot.SetStaged(entry.InitialStaged);
        }
        else
        {
            entry.Outcome = SlotMigrationOutcome.Failed;
            entry.InitialStaged = null;
            entry.Slot.SetStaged(null);
        }
    }

    /// <summary>A slot the transaction had not staged, declared by the new generation: migrate, restore or initialise it now.</summary>
    private StagedEntry Declare(StateSlot slot, SlotCell live, MigrationContext context, Type type, Func<object?> initialValue)
    {
        var entry = _entries.TryGetValue(slot, out var known) ? known : Track(new StagedEntry(slot, live.Version));
        entry.FromVersion = live.Version;
        switch (live.Kind)
        {
            case SlotCellKind.Value:
                Stage(entry, live, context, type);
                if (entry.Outcome == SlotMigrationOutcome.CarriedOver)
                {
                    // The value converted in place (same object): stage it anyway, it is the declared type's now.
                    entry.Outcome = SlotMigrationOutcome.Migrated;
                    entry.InitialStaged = new SlotCell(SlotCellKind.Value, live.Value, 0, live.Epoch + 1);
                    slot.SetStaged(entry.InitialStaged);
                }

                break;
            case SlotCellKind.Neutral:
                var (value, result) = StateStore.Restore(slot, live, context, type, initialValue);
                entry.Outcome = result.Outcome;
                entry.Reason = result.Reason;
                entry.Removed = result.RemovedMembers;
                entry.InitialStaged = result.Outcome == SlotMigrationOutcome.Failed ? null : new SlotCell(SlotCellKind.Value, value, 0, live.Epoch + 1);
                slot.SetStaged(entry.InitialStaged);
                break;
            default:
                entry.Outcome = SlotMigrationOutcome.Initialized;
                entry.InitialStaged = new SlotCell(SlotCellKind.Value, initialValue(), 0, live.Epoch + 1);
                slot.SetStaged(entry.InitialStaged);
                break;
        }

        return entry;
    }

    private static SlotCell Convert(StateSlot slot, SlotCell staged, MigrationContext context, Type type)
    {
        // The staged value is already the new generation's; only lossless conversions (int -> long) remain.
        var converted = new LiveMigrator(context, slot.Name).Migrate(staged.Value, type);
        return staged with { Value = converted };
    }

    /// <summary>Decides the cell to publish for one slot, migrating again if the retiring generation wrote since staging.</summary>
    private static SlotCell? Finish(StagedEntry entry, MigrationContext context)
    {
        var slot = entry.Slot;
        var live = slot.Live;
        if (live.Version != entry.FromVersion)
        {
            if (entry.Outcome == SlotMigrationOutcome.CarriedOver || slot.Staged == entry.InitialStaged)
            {
                if (live.Kind == SlotCellKind.Value)
                {
                    Stage(entry, live, context, entry.DeclaredType ?? typeof(object));
                }
            }
            else
            {
                entry.Reason = "the retiring generation wrote to it after it was staged, and so did the new generation: the new generation's value was kept";
            }
        }

        if (entry.Outcome == SlotMigrationOutcome.Failed)
        {
            return null;
        }

        var cell = entry.Outcome == SlotMigrationOutcome.CarriedOver ? null : slot.Staged;
        if (entry.HandleEpoch is { } epoch)
        {
            // The new generation already holds handles of this epoch: publish at it, whatever re-staging decided.
            if (cell is null && live.Epoch == epoch)
            {
                return null;
            }

            cell = (cell ?? live) with { Epoch = epoch };
        }

        return cell is null ? null : cell with { Version = live.Version + 1 };
    }

    private void Abort()
    {
        foreach (var entry in _order)
        {
            entry.Slot.SetStaged(null);
            if (entry.Slot.Live is { Kind: SlotCellKind.Empty, Version: 0 })
            {
                // Created by this transaction's generation: as if it had never been declared.
                _store.Forget(entry.Slot);
            }
        }

        End();
    }

    private void End()
    {
        _done = true;
        _context = null;
        _entries.Clear();
        foreach (var entry in _order)
        {
            entry.DeclaredType = null;
            entry.InitialStaged = null;
        }

        _store.Close(this);
    }
}
