using System.Runtime.CompilerServices;

namespace Molt.State.Tests;

public sealed class UnloadTests
{
    [Fact]
    public void AMigratedAwayGenerationIsCollected()
    {
        using var store = new StateStore();
        var image = Generation.Build(Sources.Graph);
        var (retired, current) = ReloadOnce(store, image);

        for (var i = 0; retired.IsAlive && i < 20; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }

        Assert.False(retired.IsAlive, "the retired generation's load context is still reachable");
        GC.KeepAlive(current);
        // The state itself survived, in the new generation's types.
        Assert.Equal("a", ReadId(store));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static (WeakReference Retired, Generation Current) ReloadOnce(StateStore store, byte[] image)
    {
        var v1 = Generation.Load(image);
        _ = v1.Call("Graph.Module", "State", new StoreProvider(store));
        var v2 = Generation.Load(image);
        using (var transaction = v2.MigrateFrom(store, v1))
        {
            _ = v2.Call("Graph.Module", "State", new TransactionProvider(transaction));
            Assert.True(transaction.Commit().Succeeded);
        }

        v1.Context.Unload();
        return (new WeakReference(v1.Context), v2);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static string ReadId(StateStore store)
    {
        dynamic node = store.GetOrCreate<object>("module", "graph", () => "missing", MigrationFailurePolicy.FailReload).Value;
        return (string)node.Id;
    }
}
