namespace Molt.Loading;

/// <summary>How a module context reaches the host's persistent state.</summary>
internal interface IStateAccess
{
    void Drop(string module, string name, ModuleContext requester);

    IPersistentState<T> Get<T>(string? module, string name, Func<T> initialValue, MigrationFailurePolicy policy, ModuleContext requester);
}
