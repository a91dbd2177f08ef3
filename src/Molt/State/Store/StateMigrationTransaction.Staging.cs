namespace Molt.State;

/// <summary>Staging: how one slot's value is migrated, declared, converted and, at commit, finished.</summary>
internal sealed partial class StateMigrationTransaction
{
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
            entry.Location = (e.File, e.Line);
            return;
        }

        slot.SetStaged(entry.InitialStaged);
    }

    /// <summary>
    /// The incoming generation's declaration decides what a failed migration does: with
    /// <see cref="MigrationFailurePolicy.Reset"/> the value starts again, with
    /// <see cref="MigrationFailurePolicy.FailReload"/> the reload fails, whatever the serving
    /// generation had declared. Returns the epoch of an unusable handle when the reload must fail.
    /// </summary>
    private static int? ApplyIncomingPolicy(StagedEntry entry, MigrationFailurePolicy policy)
    {
        var failed = entry.Outcome == SlotMigrationOutcome.Failed || (entry.Outcome == SlotMigrationOutcome.Reset && entry.Reason is not null);
        if (!failed && entry.Outcome != SlotMigrationOutcome.Dropped)
        {
            return null;
        }

        var next = entry.Slot.Live.Epoch + 1;
        if (entry.Outcome == SlotMigrationOutcome.Dropped)
        {
            // Dropped, then declared again: it starts from its initial value.
            entry.Outcome = SlotMigrationOutcome.Initialized;
        }
        else if (policy == MigrationFailurePolicy.FailReload)
        {
            entry.Outcome = SlotMigrationOutcome.Failed;
            entry.Slot.SetStaged(null);
            return next;
        }
        else
        {
            entry.Outcome = SlotMigrationOutcome.Reset;
        }

        entry.InitialStaged = new SlotCell(SlotCellKind.Empty, null, 0, next);
        entry.Slot.SetStaged(entry.InitialStaged);
        return null;
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

    /// <summary>Whether every live handle of the slot belongs to code that stays, and reads <paramref name="value"/> as a type it still is.</summary>
    private static bool KeepsHandles(StateSlot slot, int epoch, object? value, MigrationContext context)
    {
        var types = slot.HandleTypes(epoch);
        return types.Count > 0 && types.All(t => !context.Types.Involves(t) && (value is null ? !t.IsValueType : t.IsInstanceOfType(value)));
    }

    /// <summary>
    /// A value the new generation shares unchanged: it wrote its own cell while loading, so a failed
    /// reload would have left the live value alone. Publish that write, if it made one.
    /// </summary>
    private static SlotCell? FinishCarried(StagedEntry entry, SlotCell carried, SlotCell live)
    {
        if (entry.Slot.Staged is not { } written || ReferenceEquals(written, carried))
        {
            return null;
        }

        if (live.Version != entry.FromVersion)
        {
            entry.Reason = "the retiring generation wrote to it after it was staged, and so did the new generation: the new generation's value was kept";
        }

        return written with { Version = live.Version + 1, Epoch = live.Epoch };
    }

    /// <summary>
    /// Decides the cell to publish for one slot, migrating again if the retiring generation wrote
    /// since staging, or if <paramref name="restage"/> (another value was written: values share objects).
    /// </summary>
    private static SlotCell? Finish(StagedEntry entry, MigrationContext context, bool restage)
    {
        var slot = entry.Slot;
        var live = slot.Live;
        if (entry.Outcome == SlotMigrationOutcome.CarriedOver && entry.InitialStaged is { } carried)
        {
            return FinishCarried(entry, carried, live);
        }

        if (live.Version != entry.FromVersion || (restage && entry.Outcome == SlotMigrationOutcome.Migrated))
        {
            if (entry.Outcome == SlotMigrationOutcome.CarriedOver || slot.Staged == entry.InitialStaged)
            {
                if (live.Kind == SlotCellKind.Value)
                {
                    Stage(entry, live, context, entry.DeclaredType ?? typeof(object));
                }
            }
            else if (live.Version != entry.FromVersion)
            {
                entry.Reason = "the retiring generation wrote to it after it was staged, and so did the new generation: the new generation's value was kept";
            }
        }

        if (entry.Outcome == SlotMigrationOutcome.Failed)
        {
            return null;
        }

        var cell = entry.Outcome == SlotMigrationOutcome.CarriedOver ? null : slot.Staged;
        if (entry.HandleEpoch is null && cell is { Kind: SlotCellKind.Value } && KeepsHandles(slot, live.Epoch, cell.Value, context))
        {
            // Owned by code that is not reloading (its value reached a reloading module's objects):
            // its handles stay, and read the migrated value from the switch on.
            return cell with { Version = live.Version + 1, Epoch = live.Epoch };
        }

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
}
