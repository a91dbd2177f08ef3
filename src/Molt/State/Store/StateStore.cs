using System.Collections.Concurrent;

namespace Molt.State;

/// <summary>
/// The host-owned store of persistent values: slots keyed by (scope, name) that outlive the module
/// generations using them. Reloads go through <see cref="BeginMigration"/>; full restarts through snapshots.
/// </summary>
/// <remarks>
/// Handles are lock-free to read. Writes are compare-and-swaps that only wait while a reload commits.
/// At most one reload transaction is open at a time.
/// </remarks>
internal sealed partial class StateStore : IDisposable
{
    /// <summary>The scope of values shared by every module (<see cref="IModuleContext.SharedState{T}"/>).</summary>
    public const string SharedScope = "@shared";

    private readonly ConcurrentDictionary<(string Scope, string Name), StateSlot> _slots = new();
    private readonly Lock _transactionGate = new();
    private StateMigrationTransaction? _open;

    /// <summary>Raised when a value restored from a snapshot did not fit its declared type and was reset (policy Reset), outside a reload transaction.</summary>
    public event Action<SlotMigrationResult>? SlotReset;

    internal CommitGate Gate { get; } = new();

    /// <summary>Gets the number of slots, including those restored and not yet declared.</summary>
    public int Count => _slots.Count;

    /// <summary>
    /// Gets the slot (<paramref name="scope"/>, <paramref name="name"/>), creating its value with
    /// <paramref name="initialValue"/> the first time in this process. Use this from the serving generation
    /// (or the host); a generation being loaded by a reload declares its slots through
    /// <see cref="StateMigrationTransaction.GetOrCreate{T}"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">The slot holds a value that is not a <typeparamref name="T"/>.</exception>
    /// <exception cref="StateMigrationException">A value restored from a snapshot does not fit <typeparamref name="T"/> and the policy is <see cref="MigrationFailurePolicy.FailReload"/>.</exception>
    public IPersistentState<T> GetOrCreate<T>(string scope, string name, Func<T> initialValue, MigrationFailurePolicy policy)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(scope);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(initialValue);
        var slot = Slot(scope, name);
        slot.Policy = policy;
        lock (slot.InitGate)
        {
            var live = slot.Live;
            switch (live.Kind)
            {
                case SlotCellKind.Value when Fits<T>(live.Value):
                    return new PersistentState<T>(this, slot, live.Epoch);
                case SlotCellKind.Value:
                    throw new InvalidOperationException(
                        $"The persistent value '{slot.DisplayName}' holds a {live.Value!.GetType().FullName}, not a {typeof(T).FullName}; a value changes type only through a reload transaction.");
                case SlotCellKind.Neutral:
                    var context = new MigrationContext(TypeMapper.ForNeutral(TypeResolvers.Near(typeof(T))), CustomMigrationSet.Empty);
                    var (restored, result) = Restore(slot, live, context, typeof(T), () => initialValue());
                    if (result.Outcome == SlotMigrationOutcome.Failed)
                    {
                        throw new StateMigrationException(slot.DisplayName, result.Reason!);
                    }

                    if (result.Outcome == SlotMigrationOutcome.Reset)
                    {
                        SlotReset?.Invoke(result);
                    }

                    Publish(slot, live, live with { Kind = SlotCellKind.Value, Value = restored, Version = live.Version + 1 });
                    return new PersistentState<T>(this, slot, live.Epoch);
                default:
                    var value = initialValue();
                    Publish(slot, live, live.With(value));
                    return new PersistentState<T>(this, slot, live.Epoch);
            }
        }
    }

    /// <summary>
    /// Opens a reload transaction: migrates, into staged values, every slot whose value involves a type of
    /// the retiring generation, without touching the live values the old generation keeps serving.
    /// </summary>
    /// <param name="isRetiring">Tells whether a type belongs to a retiring generation.</param>
    /// <param name="resolveNewType">Finds the new generation's type by full name, or returns <see langword="null"/>.</param>
    /// <param name="customMigrations">The new generation's custom migrations (<see cref="CustomMigrationSet.Discover"/>), or <see langword="null"/>.</param>
    /// <returns>The open transaction; check its <see cref="StateMigrationTransaction.Report"/>, then commit or dispose it.</returns>
    /// <exception cref="InvalidOperationException">Another transaction is open.</exception>
    public StateMigrationTransaction BeginMigration(Func<Type, bool> isRetiring, Func<string, Type?> resolveNewType, CustomMigrationSet? customMigrations = null)
    {
        ArgumentNullException.ThrowIfNull(isRetiring);
        ArgumentNullException.ThrowIfNull(resolveNewType);
        lock (_transactionGate)
        {
            if (_open is not null)
            {
                throw new InvalidOperationException("A reload transaction is already open on this state store; commit or dispose it first.");
            }

            var context = new MigrationContext(new TypeMapper(isRetiring, resolveNewType), customMigrations ?? CustomMigrationSet.Empty);
            var transaction = new StateMigrationTransaction(this, context);
            _open = transaction;
            try
            {
                transaction.StageAll(_slots.Values.ToArray());
            }
            catch
            {
                // Whatever went wrong, the store must not stay with a transaction nobody will close.
                transaction.Dispose();
                throw;
            }

            return transaction;
        }
    }

    /// <summary>Drops a value now, outside any reload: its handles stop working and asking for it again gives its initial value.</summary>
    public void Drop(string scope, string name)
    {
        if (!_slots.TryGetValue((scope, name), out var slot))
        {
            return;
        }

        using var writing = Gate.EnterWriter();
        lock (slot.WriteGate)
        {
            var live = slot.Live;
            slot.SetLive(SlotCell.Empty with { Version = live.Version + 1, Epoch = live.Epoch + 1 });
            Forget(slot);
        }
    }

    public void Dispose() => Gate.Dispose();

    internal StateSlot Slot(string scope, string name) => _slots.GetOrAdd((scope, name), static key => new StateSlot(key.Scope, key.Name));

    internal void Forget(StateSlot slot) => _slots.TryRemove(new KeyValuePair<(string, string), StateSlot>((slot.Scope, slot.Name), slot));

    internal void Close(StateMigrationTransaction transaction)
    {
        lock (_transactionGate)
        {
            if (_open == transaction)
            {
                _open = null;
            }
        }
    }

    internal static bool Fits<T>(object? value) => value is T || (value is null && default(T) is null);

    /// <summary>Turns a restored neutral value into a <paramref name="type"/>, or (policy Reset) the initial value.</summary>
    internal static (object? Value, SlotMigrationResult Result) Restore(StateSlot slot, SlotCell cell, MigrationContext context, Type type, Func<object?> initialValue)
    {
        var reader = new NeutralReader(context, slot.Name);
        try
        {
            var value = reader.Read(cell.Value, type);
            return (value, new SlotMigrationResult(slot.Scope, slot.Name, SlotMigrationOutcome.Migrated, "restored from a snapshot", reader.Removed));
        }
        catch (StateMigrationException e) when (slot.Policy == MigrationFailurePolicy.Reset)
        {
            return (initialValue(), new SlotMigrationResult(slot.Scope, slot.Name, SlotMigrationOutcome.Reset, e.Message, []));
        }
        catch (StateMigrationException e)
        {
            return (null, new SlotMigrationResult(slot.Scope, slot.Name, SlotMigrationOutcome.Failed, e.Message, []));
        }
    }

    private void Publish(StateSlot slot, SlotCell expected, SlotCell next)
    {
        using var _ = Gate.EnterWriter();
        using var __ = slot.WriteGate.EnterScope();
        if (!slot.TryReplaceLive(expected, next))
        {
            throw new InvalidOperationException($"The persistent value '{slot.DisplayName}' changed while it was being created.");
        }
    }
}
