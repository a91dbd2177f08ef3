using Molt.State;

namespace Molt.Loading;

/// <summary>
/// Routes a generation's state requests: a generation being loaded by a reload sees the values
/// staged by that reload's state transaction; every other generation sees the live values.
/// </summary>
internal sealed class StoreStateAccess(StateStore store) : IStateAccess
{
    private Reload? _current;

    public StateStore Store => store;

    public void Begin(StateMigrationTransaction transaction, IEnumerable<ModuleContext> loading) =>
        Volatile.Write(ref _current, new Reload(transaction, loading.ToHashSet()));

    public void End() => Volatile.Write(ref _current, null);

    public void Drop(string module, string name, ModuleContext requester)
    {
        if (Volatile.Read(ref _current) is { } reload && reload.Loading.Contains(requester))
        {
            reload.Transaction.Drop(module, name);
        }
        else if (requester.IsServing)
        {
            store.Drop(module, name);
        }
        else
        {
            throw new InvalidOperationException($"Generation {requester.ModuleName}#{requester.Generation} does not serve: it cannot drop persistent state.");
        }
    }

    public IPersistentState<T> Get<T>(string? module, string name, Func<T> initialValue, MigrationFailurePolicy policy, ModuleContext requester)
    {
        var scope = module ?? StateStore.SharedScope;
        var current = Volatile.Read(ref _current);
        return current is { } reload && reload.Loading.Contains(requester)
            ? reload.Transaction.GetOrCreate(scope, name, initialValue, policy)
            : requester.IsServing ? store.GetOrCreate(scope, name, initialValue, policy)
            : throw new InvalidOperationException(
                $"Generation {requester.ModuleName}#{requester.Generation} does not serve (its reload failed, or it was retired): it cannot reach the persistent state.");
    }

    private sealed record Reload(StateMigrationTransaction Transaction, HashSet<ModuleContext> Loading);
}
