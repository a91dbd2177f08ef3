namespace Molt.State.Tests;

/// <summary>What module code compiled by the tests calls to declare persistent values (the engine's IModuleContext.State in miniature).</summary>
public interface IStateProvider
{
    IPersistentState<T> State<T>(string name, Func<T> initialValue, MigrationFailurePolicy policy = MigrationFailurePolicy.FailReload);
}
