namespace Molt.State.Tests;

/// <summary>Declares slots through a reload transaction, as a generation being loaded does.</summary>
internal sealed class TransactionProvider(StateMigrationTransaction transaction, string scope = "module") : IStateProvider
{
    public IPersistentState<T> State<T>(string name, Func<T> initialValue, MigrationFailurePolicy policy = MigrationFailurePolicy.FailReload) =>
        transaction.GetOrCreate(scope, name, initialValue, policy);
}
