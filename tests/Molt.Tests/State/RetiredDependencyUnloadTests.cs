using Molt.Tests.Infrastructure;

namespace Molt.Tests.State;

/// <summary>
/// Unloading when a dependency's state holds a dependent's objects: <c>core</c> owns a persistent
/// list of <c>things</c>' objects, and an edit of core retires both. The retired core still holds
/// the list as it was at the switch (for its calls in flight), so core's generation reaches
/// things'; things' load context, which the runtime keeps alive until it is collected, reaches
/// core's assembly. Found porting Shmup (dotnet/dotnet-console-games): every edit of its core
/// module leaked two generations.
/// </summary>
public sealed class RetiredDependencyUnloadTests
{
    private const string Core = """
        public interface IThing { int Size { get; } }

        public static class Store
        {
            [Persistent] public static List<IThing> Things { get; set; } = [];
        }
        // VERSION
        """;

    private const string Things = """
        [assembly: DependsOn("core")]

        public sealed class Thing : IThing
        {
            public int Size { get; set; }
        }

        public static class Things
        {
            [Export] public static void Add() => Store.Things.Add(new Thing { Size = Store.Things.Count });
            [Export] public static string Show() => string.Join(",", Store.Things.Select(t => t is Thing ? t.Size.ToString() : "foreign"));
        }
        """;

    [Fact]
    public async Task AnEditOfADependencyWhoseStateHoldsADependentsObjectsUnloadsBothRetiredGenerations()
    {
        await using var workspace = new ModuleWorkspace();
        workspace.Write("core.cs", Core);
        workspace.Write("things.cs", Things);
        var engine = await workspace.StartAsync(o => o.QuiesceBeforeSwitch = true);
        var add = engine.GetEntryPoint<Action>("things", "Add");
        add.Current();
        add.Current();

        workspace.Write("core.cs", Core.Replace("VERSION", "edited", StringComparison.Ordinal));
        var result = await engine.ReloadAsync().WaitAsync(TestTimeouts.Reload);
        Assert.True(result.Succeeded, $"{result.Error}\n{string.Join("\n", result.Diagnostics)}");
        Assert.Equal("0,1", engine.GetEntryPoint<Func<string>>("things", "Show").Current());

        await engine.WhenUnloadsVerifiedAsync().WaitAsync(TestTimeouts.Verification);
        Assert.Empty(engine.Manifest.RetiredAlive);
    }
}
