namespace Molt.State.Tests;

/// <summary>Declares slots on the store directly, as the serving generation does.</summary>
internal sealed class StoreProvider(StateStore store, string scope = "module") : IStateProvider
{
    public IPersistentState<T> State<T>(string name, Func<T> initialValue, MigrationFailurePolicy policy = MigrationFailurePolicy.FailReload) =>
        store.GetOrCreate(scope, name, initialValue, policy);
}
