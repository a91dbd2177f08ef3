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
internal sealed partial class StateMigrationTransaction : IDisposable
{
    private readonly StateStore _store;
    private readonly Lock _gate = new();
    private readonly Dictionary<StateSlot, StagedEntry> _entries = [];
    private readonly List<StagedEntry> _order = [];
    private readonly List<IRetirableHandle> _issued = [];
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

    /// <summary>Gets a value indicating whether the transaction is still open (neither committed nor aborted).</summary>
    public bool IsOpen => !Volatile.Read(ref _done);

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
                    if (entry.InitialStaged is null)
                    {
                        // Until commit the new generation writes a cell of its own, not the live one.
                        entry.InitialStaged = live;
                        slot.SetStaged(live);
                    }

                    return Issued(new PersistentState<T>(_store, slot, live.Epoch, this));
                }

                entry = Declare(slot, live, context, typeof(T), () => initialValue());
            }

            entry.DeclaredType = typeof(T);
            if (ApplyIncomingPolicy(entry, policy) is { } unusable)
            {
                // The reload fails (MOLT050) once every load hook has run; until then there is nothing to read.
                entry.HandleEpoch = unusable;
                return Issued(new PersistentState<T>(_store, slot, unusable, this));
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
            return Issued(new PersistentState<T>(_store, slot, staged.Epoch, this));
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
                // Values share objects: when one was written since it was staged, every migrated
                // value is staged again, in one new pass, so a shared object stays one object.
                var restage = _order.Any(e => e.Outcome == SlotMigrationOutcome.Migrated && e.Slot.Live.Version != e.FromVersion);
                if (restage)
                {
                    context.NewPass();
                }

                foreach (var entry in _order.ToArray())
                {
                    if (entry.Outcome == SlotMigrationOutcome.Failed)
                    {
                        break;
                    }

                    if (entry.Outcome != SlotMigrationOutcome.Dropped && Finish(entry, context, restage) is { } cell)
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
                }

                foreach (var entry in _order)
                {
                    entry.Slot.SetStaged(null);
                }

                foreach (var dropped in _order.Where(e => e.Outcome == SlotMigrationOutcome.Dropped))
                {
                    // A new epoch: any handle still pointing at the value reads it no more.
                    var live = dropped.Slot.Live;
                    dropped.Slot.SetLive(SlotCell.Empty with { Version = live.Version + 1, Epoch = live.Epoch + 1 });
                    dropped.Slot.SetStaged(null);
                    _store.Forget(dropped.Slot);
                }
            }

            End();
            return new StateMigrationReport([.. _order.Select(e => e.ToResult())]);
        }
    }

    /// <summary>
    /// Drops, with the reason reported, every value that failed to migrate and that no generation
    /// loaded by this reload declared, when <paramref name="replaced"/> says its scope's module was
    /// reloaded or removed: no code asks for it any more, so it must not block the module.
    /// </summary>
    public void DropOrphans(Func<string, bool> replaced)
    {
        lock (_gate)
        {
            foreach (var entry in _order.Where(e => e.Outcome == SlotMigrationOutcome.Failed && e.DeclaredType is null && replaced(e.Slot.Scope)))
            {
                entry.Outcome = SlotMigrationOutcome.Dropped;
                entry.WasDropped = true;
                entry.Reason = $"no code of the new generation asks for it, and it could not be migrated ({entry.Reason})";
            }
        }
    }

    /// <summary>Drops a value on purpose (<see cref="IModuleContext.DropState"/> from the new generation): it is gone at commit.</summary>
    public void Drop(string scope, string name)
    {
        lock (_gate)
        {
            var slot = _store.Slot(scope, name);
            var entry = _entries.TryGetValue(slot, out var known) ? known : Track(new StagedEntry(slot, slot.Live.Version));
            entry.Outcome = SlotMigrationOutcome.Dropped;
            entry.WasDropped = true;
            entry.Reason = "dropped by the new generation (DropState)";
            entry.InitialStaged = null;
            slot.SetStaged(null);
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
                // Writers of this slot wait while it is read: a value changed in place (inside an
                // Update) is never seen half changed. Writers of other slots go on.
                lock (slot.WriteGate)
                {
                    var live = slot.Live;
                    if (live.Kind == SlotCellKind.Value)
                    {
                        Stage(Track(new StagedEntry(slot, live.Version)), live, Context, typeof(object));
                    }
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

    /// <summary>Remembers a handle given to the new generation, so an aborted transaction can disable it.</summary>
    private PersistentState<T> Issued<T>(PersistentState<T> handle)
    {
        _issued.Add(handle);
        return handle;
    }

    private void Abort()
    {
        // The discarded generation's code may still run (a hook that timed out): its handles must
        // not reach the live values the serving generation owns.
        foreach (var handle in _issued)
        {
            handle.Discard();
        }

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
