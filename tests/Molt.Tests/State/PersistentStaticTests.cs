using Molt.Tests.Infrastructure;

namespace Molt.Tests.State;

/// <summary>potato's persistent globals: a static marked [Persistent] keeps its value across reloads and restarts, with no handle code.</summary>
public sealed class PersistentStaticTests
{
    private const string Counter = """
        public sealed record Creature(string Name, int X /*EXTRA*/);

        public static class Game
        {
            private static readonly object s_gate = new();
            [Persistent] private static long s_count = 5;
            [Persistent] public static List<Creature> Creatures { get; set; } = [new("ant", 0), new("bee", 10)];

            [Export] public static long Next() { lock (s_gate) { return ++s_count; } }
            [Export] public static string Show() => $"{s_count}|" + string.Join(",", Creatures.Select(c => c.ToString())) + "|v=VERSION";
            [Export] public static void Move() { lock (s_gate) { Creatures = [.. Creatures.Select(c => c with { X = c.X + 1 })]; } }
        }
        """;

    [Fact]
    public async Task APersistentStaticSurvivesReloadsAndMigratesWhenItsTypeChanges()
    {
        await using var workspace = new ModuleWorkspace();
        workspace.Write("game.cs", Version(1));
        var engine = await workspace.StartAsync();
        var next = engine.GetEntryPoint<Func<long>>("game", "Next");
        var show = engine.GetEntryPoint<Func<string>>("game", "Show");
        next.Current();
        engine.GetEntryPoint<Action>("game", "Move").Current();
        Assert.Equal("6|Creature { Name = ant, X = 1 },Creature { Name = bee, X = 11 }|v=1", show.Current());

        workspace.Write("game.cs", Version(2));
        var body = await engine.ReloadAsync().WaitAsync(TestTimeouts.Reload);
        Assert.True(body.Succeeded, $"{body.Error}\n{string.Join("\n", body.Diagnostics)}");
        Assert.Equal("6|Creature { Name = ant, X = 1 },Creature { Name = bee, X = 11 }|v=2", show.Current());

        workspace.Write("game.cs", Version(3).Replace("/*EXTRA*/", ", int Energy = 10", StringComparison.Ordinal));
        var migrated = await engine.ReloadAsync().WaitAsync(TestTimeouts.Reload);
        Assert.True(migrated.Succeeded, $"{migrated.Error}\n{string.Join("\n", migrated.Diagnostics)}");
        Assert.Contains(migrated.State, s => s.Name == "static:Game.Creatures" && s.Kind == StateChangeKind.Migrated);
        Assert.Equal("6|Creature { Name = ant, X = 1, Energy = 10 },Creature { Name = bee, X = 11, Energy = 10 }|v=3", show.Current());
        Assert.Equal(7, next.Current());
    }

    [Fact]
    public async Task APersistentStaticSurvivesARestartWithASnapshot()
    {
        await using var workspace = new ModuleWorkspace();
        workspace.Write("game.cs", Version(1));
        var snapshot = workspace.PathOf(".state/snapshot.json");
        var first = await workspace.StartAsync(o => o.StateSnapshotPath = snapshot);
        first.GetEntryPoint<Func<long>>("game", "Next").Current();
        first.GetEntryPoint<Action>("game", "Move").Current();
        await first.DisposeAsync();

        var second = await workspace.StartAsync(o => o.StateSnapshotPath = snapshot);
        Assert.Equal("6|Creature { Name = ant, X = 1 },Creature { Name = bee, X = 11 }|v=1", second.GetEntryPoint<Func<string>>("game", "Show").Current());
    }

    [Fact]
    public async Task WritesFromManyThreadsDuringReloadsAreNeverLost()
    {
        await using var workspace = new ModuleWorkspace();
        workspace.Write("game.cs", Version(1));
        var engine = await workspace.StartAsync(o => o.QuiesceBeforeSwitch = true);
        var next = engine.GetEntryPoint<Func<long>>("game", "Next");
        using var stop = new CancellationTokenSource();
        var calls = 0L;
        var callers = Enumerable.Range(0, 3).Select(_ => Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                using var call = next.Enter();
                call.Target();
                Interlocked.Increment(ref calls);
            }
        })).ToArray();

        for (var i = 2; i <= 8; i++)
        {
            workspace.Write("game.cs", Version(i).Replace("/*EXTRA*/", i % 2 == 0 ? ", int Energy = 1" : string.Empty, StringComparison.Ordinal));
            var result = await engine.ReloadAsync().WaitAsync(TestTimeouts.Reload);
            Assert.True(result.Succeeded, result.Error);
        }

        await stop.CancelAsync();
        await Task.WhenAll(callers).WaitAsync(TestTimeouts.Reload);
        Assert.Equal(5 + calls + 1, next.Current());
        await engine.WhenUnloadsVerifiedAsync().WaitAsync(TestTimeouts.Verification);
        Assert.Empty(engine.Manifest.RetiredAlive);
    }

    [Fact]
    public async Task AWholeStaticClassCanBePersistentAndAMisplacedAttributeIsAnErrorAtItsLine()
    {
        await using var workspace = new ModuleWorkspace();
        workspace.Write("score.cs", "[Persistent]\npublic static class Score\n{\n    public static int Points = 1;\n    [Export] public static int Add(int n) => Points += n;\n}\n");
        var engine = await workspace.StartAsync();
        var add = engine.GetEntryPoint<Func<int, int>>("score", "Add");
        Assert.Equal(3, add.Current(2));

        workspace.Write("score.cs", "[Persistent]\npublic static class Score\n{\n    public static int Points = 1;\n    [Export] public static int Add(int n) => Points += n * 10;\n}\n");
        Assert.True((await engine.ReloadAsync().WaitAsync(TestTimeouts.Reload)).Succeeded);
        Assert.Equal(23, add.Current(2));

        var path = workspace.Write("score.cs", "public sealed class Score\n{\n    [Persistent] public int Points;\n    [Export] public static int Add(int n) => n;\n}\n");
        var bad = await engine.ReloadAsync().WaitAsync(TestTimeouts.Reload);
        var error = Assert.Single(bad.Errors);
        Assert.Equal(MoltDiagnosticIds.BadPersistentStatic, error.Id);
        Assert.Equal((path, 3), (error.File, error.Line));
        Assert.Equal(43, add.Current(2));
    }

    [Fact]
    public async Task MoltsGeneratedBindingOfPersistentStaticsAddsNoWarningsToTheModule()
    {
        await using var workspace = new ModuleWorkspace();
        workspace.Write("game.cs", Version(1));
        var engine = workspace.CreateEngine();

        var result = await engine.StartAsync().WaitAsync(TestTimeouts.Reload);

        Assert.True(result.Succeeded, result.Error);
        Assert.DoesNotContain(result.Diagnostics, d => d.File?.EndsWith("MoltPersistentStatics.g.cs", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task APersistentStaticInitialisedWithABareArrayInitialiserCompilesAndKeepsItsValue()
    {
        await using var workspace = new ModuleWorkspace();
        const string Source = """
            public static class Board
            {
                [Persistent] static int[,] s_cells = { { 1, 2 }, { 3, 4 } };
                [Persistent] public static string[] Names { get; set; } = { "ann", "bob" };
                [Export] public static string Show() { s_cells[1, 1]++; return $"VERSION {s_cells[1, 1]} {string.Join(",", Names)}"; }
            }
            """;
        workspace.Write("board.cs", Source.Replace("VERSION", "v1", StringComparison.Ordinal));
        var engine = await workspace.StartAsync();
        var show = engine.GetEntryPoint<Func<string>>("board", "Show");
        Assert.Equal("v1 5 ann,bob", show.Current());

        workspace.Write("board.cs", Source.Replace("VERSION", "v2", StringComparison.Ordinal));
        Assert.True((await engine.ReloadAsync().WaitAsync(TestTimeouts.Reload)).Succeeded);
        Assert.Equal("v2 6 ann,bob", show.Current());
    }

    private static string Version(int version) => Counter.Replace("VERSION", version.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
}
