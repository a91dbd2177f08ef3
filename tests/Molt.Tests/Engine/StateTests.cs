using System.Globalization;
using Molt.Tests.Infrastructure;

namespace Molt.Tests.Engine;

public sealed class StateTests
{
    private const string Counter = """
        public static class Counter
        {
            private static IPersistentState<int>? s_count;
            [Export] public static int Next() => s_count!.Update(n => n + STEP);
            internal static void Attach(IPersistentState<int> count) => s_count = count;
        }

        public sealed class Lifecycle : IModule
        {
            public ValueTask OnLoadAsync(IModuleContext context)
            {
                Counter.Attach(context.State("count", () => 0));
                return ValueTask.CompletedTask;
            }
        }
        """;

    private const string Players = """
        public sealed record Player(string Name, int Score, string Note);

        public static class Game
        {
            private static IPersistentState<List<Player>>? s_players;
            [Export] public static string Describe() => string.Join(";", s_players!.Value.Select(p => p.ToString()));
            [Export] public static void Add(string name, int score) => s_players!.Update(l => [.. l, new Player(name, score, "n-" + name)]);
            internal static void Attach(IPersistentState<List<Player>> players) => s_players = players;
        }

        public sealed class Lifecycle : IModule
        {
            public ValueTask OnLoadAsync(IModuleContext context)
            {
                Game.Attach(context.State("players", () => new List<Player>(), POLICY));
                return ValueTask.CompletedTask;
            }
        }
        """;

    [Fact]
    public async Task ACounterSurvivesAHundredReloads()
    {
        await using var workspace = new ModuleWorkspace();
        workspace.Write("counter.cs", Counter.Replace("STEP", "1"));
        var engine = await workspace.StartAsync();
        var next = engine.GetEntryPoint<Func<int>>("counter", "Next");
        var expected = next.Current();

        for (var i = 2; i <= 101; i++)
        {
            workspace.Write("counter.cs", Counter.Replace("STEP", i.ToString(CultureInfo.InvariantCulture)));
            var result = await engine.ReloadAsync().WaitAsync(TestTimeouts.Reload);
            Assert.True(result.Succeeded, result.Error);
            Assert.Equal(StateChangeKind.CarriedOver, Assert.Single(result.State).Kind);
            expected += i;
            Assert.Equal(expected, next.Current());
        }

        Assert.Equal(101, engine.Manifest.Modules.Single().Generation);
    }

    [Fact]
    public async Task AModuleRecordGainsLosesAndChangesMembersKeepingTheValuesThatFit()
    {
        await using var workspace = new ModuleWorkspace();
        workspace.Write("game.cs", Players.Replace("POLICY", "MigrationFailurePolicy.FailReload"));
        var engine = await workspace.StartAsync();
        var add = engine.GetEntryPoint<Action<string, int>>("game", "Add");
        var describe = engine.GetEntryPoint<Func<string>>("game", "Describe");
        add.Current("ann", 7);
        add.Current("bob", 3);

        // Gains Level (with a default), loses Note.
        workspace.Write("game.cs", Players
            .Replace("POLICY", "MigrationFailurePolicy.FailReload")
            .Replace("record Player(string Name, int Score, string Note)", "record Player(string Name, int Score, int Level = 1)")
            .Replace("new Player(name, score, \"n-\" + name)", "new Player(name, score)"));
        var gained = await engine.ReloadAsync();

        Assert.True(gained.Succeeded, gained.Error);
        var change = Assert.Single(gained.State);
        Assert.Equal(StateChangeKind.Migrated, change.Kind);
        Assert.Contains("Player.Note", change.RemovedMembers);
        Assert.Contains(gained.Diagnostics, d => d.Id == "MOLT053");
        Assert.Equal("Player { Name = ann, Score = 7, Level = 1 };Player { Name = bob, Score = 3, Level = 1 }", describe.Current());

        // Score becomes a string: a custom migration converts it.
        workspace.Write("game.cs", Players
            .Replace("POLICY", "MigrationFailurePolicy.FailReload")
            .Replace("record Player(string Name, int Score, string Note)", "record Player(string Name, string Score, int Level = 1)")
            .Replace("new Player(name, score, \"n-\" + name)", "new Player(name, score.ToString())")
            + """

            internal static class Migrations
            {
                [StateMigration]
                public static Player Player(StateObject old) =>
                    new(old.Get<string>("Name")!, $"{old.Get<int>("Score")} pts", old.Get<int>("Level"));
            }
            """);
        var changed = await engine.ReloadAsync();

        Assert.True(changed.Succeeded, changed.Error);
        Assert.Equal("Player { Name = ann, Score = 7 pts, Level = 1 };Player { Name = bob, Score = 3 pts, Level = 1 }", describe.Current());
    }

    [Fact]
    public async Task AFailingMigrationLeavesTheOldCodeAndTheOldStateServing()
    {
        await using var workspace = new ModuleWorkspace();
        workspace.Write("game.cs", Players.Replace("POLICY", "MigrationFailurePolicy.FailReload"));
        var engine = await workspace.StartAsync();
        var add = engine.GetEntryPoint<Action<string, int>>("game", "Add");
        var describe = engine.GetEntryPoint<Func<string>>("game", "Describe");
        add.Current("ann", 7);
        var before = describe.Current();

        workspace.Write("game.cs", Players
            .Replace("POLICY", "MigrationFailurePolicy.FailReload")
            .Replace("int Score", "DateTime Score")
            .Replace("new Player(name, score,", "new Player(name, DateTime.Now,"));
        var result = await engine.ReloadAsync();

        Assert.False(result.Succeeded);
        var error = Assert.Single(result.Errors);
        Assert.Equal("MOLT050", error.Id);
        Assert.Contains("Score", error.Message);
        Assert.Contains(result.State, s => s.Kind == StateChangeKind.Failed);
        Assert.Equal(before, describe.Current());
        add.Current("bob", 1);
        Assert.Equal(before + ";Player { Name = bob, Score = 1, Note = n-bob }", describe.Current());
    }

    [Fact]
    public async Task TheResetPolicyResetsTheValueAndReportsIt()
    {
        await using var workspace = new ModuleWorkspace();
        workspace.Write("game.cs", Players.Replace("POLICY", "MigrationFailurePolicy.Reset"));
        var engine = await workspace.StartAsync();
        var add = engine.GetEntryPoint<Action<string, int>>("game", "Add");
        var describe = engine.GetEntryPoint<Func<string>>("game", "Describe");
        add.Current("ann", 7);

        workspace.Write("game.cs", Players
            .Replace("POLICY", "MigrationFailurePolicy.Reset")
            .Replace("int Score", "DateTime Score")
            .Replace("new Player(name, score,", "new Player(name, DateTime.Now,"));
        var result = await engine.ReloadAsync();

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(StateChangeKind.Reset, Assert.Single(result.State).Kind);
        var warning = Assert.Single(result.Diagnostics, d => d.Id == "MOLT051");
        Assert.Equal(DiagnosticSeverity.Warning, warning.Severity);
        Assert.Equal(string.Empty, describe.Current());
    }

    [Fact]
    public async Task ASnapshotIsRestoredByTheNextEngineAndACorruptOneIsReportedNotFatal()
    {
        await using var workspace = new ModuleWorkspace();
        workspace.Write("game.cs", Players.Replace("POLICY", "MigrationFailurePolicy.FailReload"));
        var snapshot = Path.Combine(workspace.Root, ".state", "snapshot.json");
        var first = await workspace.StartAsync(o => o.StateSnapshotPath = snapshot);
        first.GetEntryPoint<Action<string, int>>("game", "Add").Current("ann", 7);
        var saved = await first.SaveStateSnapshotAsync();
        Assert.Equal(1, saved.Written);
        await first.DisposeAsync();

        var second = await workspace.StartAsync(o => o.StateSnapshotPath = snapshot);
        Assert.Equal("Player { Name = ann, Score = 7, Note = n-ann }", second.GetEntryPoint<Func<string>>("game", "Describe").Current());
        await second.DisposeAsync();

        await File.WriteAllTextAsync(snapshot, "{\"format\": \"molt-state\", \"truncated");
        var third = await workspace.StartAsync(o => o.StateSnapshotPath = snapshot);
        Assert.Equal(string.Empty, third.GetEntryPoint<Func<string>>("game", "Describe").Current());
        var warning = Assert.Single(third.Manifest.LastReload!.Diagnostics, d => d.Id == "MOLT060");
        Assert.Equal(snapshot, warning.File);
    }
}
