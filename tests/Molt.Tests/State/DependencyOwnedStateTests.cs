using Molt.Tests.Infrastructure;

namespace Molt.Tests.State;

/// <summary>
/// State owned by a module that does not reload — a dependency, <c>core</c> — holding objects of a
/// module that does (<c>things</c>). A real port puts its state there whenever the types that live
/// in the state reach the state themselves (an enemy that removes itself from the game's list, adds
/// to the score): the state must then live in a module both depend on, and that module does not
/// reload when only the enemies change. Found porting Shmup (dotnet/dotnet-console-games).
/// </summary>
public sealed class DependencyOwnedStateTests
{
    private const string Core = """
        public interface IThing { string Version { get; } }

        public static class Store
        {
            [Persistent] public static List<IThing> Things { get; set; } = [];
        }
        """;

    private const string Things = """
        [assembly: DependsOn("core")]

        public sealed class Thing : IThing
        {
            public int Id { get; set; }
            public string Version => "VERSION";
        }

        public static class Things
        {
            [Export] public static void Add() => Store.Things.Add(new Thing { Id = Store.Things.Count });
            [Export] public static string Show() => string.Join(",", Store.Things.Select(t => t is Thing thing ? $"{thing.Id}:{thing.Version}" : "foreign " + t.Version));
            [Export] public static void Replace() => Store.Things = [.. Store.Things];
        }
        """;

    [Fact(Skip = "Molt bug, in src/Molt/State/Store (the lead's): a migrated slot gets a new epoch at commit, which retires every handle of "
        + "the old epoch, including those of generations that do not reload. core's [Persistent] handle then reads the value as it was "
        + "before the migration (old objects, running old code, keeping the retired generation in memory) and its writes throw.")]
    public async Task AValueOwnedByADependencyThatDoesNotReloadIsMigratedAndItsOwnerSeesTheMigratedValue()
    {
        await using var workspace = new ModuleWorkspace();
        workspace.Write("core.cs", Core);
        workspace.Write("things.cs", Things.Replace("VERSION", "v1", StringComparison.Ordinal));
        var engine = await workspace.StartAsync(o => o.QuiesceBeforeSwitch = true);
        var add = engine.GetEntryPoint<Action>("things", "Add");
        var show = engine.GetEntryPoint<Func<string>>("things", "Show");
        add.Current();
        add.Current();
        Assert.Equal("0:v1,1:v1", show.Current());

        // A body edit of things only: core keeps its generation, and with it its handle to Store.Things.
        workspace.Write("things.cs", Things.Replace("VERSION", "v2", StringComparison.Ordinal));
        var result = await engine.ReloadAsync().WaitAsync(TestTimeouts.Reload);
        Assert.True(result.Succeeded, $"{result.Error}\n{string.Join("\n", result.Diagnostics)}");
        Assert.DoesNotContain(result.Changes, c => c.Module == "core");
        Assert.Contains(result.State, s => s.Name == "static:Store.Things" && s.Kind == StateChangeKind.Migrated);

        // What core's handle reads is the migrated list: the things are the new generation's.
        Assert.Equal("0:v2,1:v2", show.Current());
        add.Current();
        Assert.Equal("0:v2,1:v2,2:v2", show.Current());

        // And core's handle still writes.
        engine.GetEntryPoint<Action>("things", "Replace").Current();
        Assert.Equal("0:v2,1:v2,2:v2", show.Current());

        await engine.WhenUnloadsVerifiedAsync().WaitAsync(TestTimeouts.Verification);
        Assert.Empty(engine.Manifest.RetiredAlive);
    }
}
