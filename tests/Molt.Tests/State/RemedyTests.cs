using Molt.Tests.Infrastructure;

namespace Molt.Tests.State;

/// <summary>What a user does when a value will not migrate, each working in one edit; and renames that keep values.</summary>
public sealed class RemedyTests
{
    private const string Module = """
        public sealed record Item(string Name, int Count);

        public sealed class Bag
        {
            public List<Item> Items { get; set; } = [];
            public int Total { get; set; }
        }

        public static class Store
        {
            private static IPersistentState<Bag>? s_bag;
            internal static void Attach(IPersistentState<Bag> bag) => s_bag = bag;
            [Export] public static void Add(string name, int count) => s_bag!.Update(b => { b.Items.Add(new Item(name, count)); b.Total += count; return b; });
            [Export] public static string Show() => string.Join(",", s_bag!.Value.Items.Select(i => i.ToString())) + $"|{s_bag.Value.Total}";
        }

        public sealed class Lifecycle : IModule
        {
            public ValueTask OnLoadAsync(IModuleContext context)
            {
                Store.Attach(context.State("bag", () => new Bag() /*POLICY*/));
                return ValueTask.CompletedTask;
            }
        }
        """;

    [Fact]
    public async Task ATypeRenameMarkedFormerNameKeepsEveryValueInsideItsContainers()
    {
        await using var game = await StartAsync();
        game.Workspace.Write("store.cs", Module
            .Replace("record Item(", "record Thing(", StringComparison.Ordinal)
            .Replace("public sealed record Thing", "[FormerName(\"Item\")]\npublic sealed record Thing", StringComparison.Ordinal)
            .Replace("List<Item>", "List<Thing>", StringComparison.Ordinal)
            .Replace("new Item(", "new Thing(", StringComparison.Ordinal));
        var result = await game.ReloadAsync();

        Assert.True(result.Succeeded, Describe(result));
        Assert.Equal("Thing { Name = apple, Count = 2 },Thing { Name = pear, Count = 1 }|3", game.Show());
    }

    [Fact]
    public async Task AMemberRenameMarkedFormerNameKeepsItsValueAndAnUnmarkedOneIsAWarningNamingTheRemedy()
    {
        await using var game = await StartAsync();
        game.Workspace.Write("store.cs", Module.Replace("public int Total { get; set; }", "public int Sum { get; set; }", StringComparison.Ordinal).Replace("b.Total", "b.Sum", StringComparison.Ordinal).Replace("Value.Total", "Value.Sum", StringComparison.Ordinal));
        var lost = await game.ReloadAsync();
        Assert.True(lost.Succeeded, Describe(lost));
        var warning = Assert.Single(lost.Diagnostics, d => d.Id == MoltDiagnosticIds.StateMembersRemoved);
        Assert.Equal(DiagnosticSeverity.Warning, warning.Severity);
        Assert.Contains("Bag.Total", warning.Message);
        Assert.Contains("[FormerName", warning.Message);
        Assert.EndsWith("|0", game.Show());

        game.Add("fig", 4);
        game.Workspace.Write("store.cs", Module.Replace("public int Total { get; set; }", "[FormerName(\"Sum\")] public int Score { get; set; }", StringComparison.Ordinal).Replace("b.Total", "b.Score", StringComparison.Ordinal).Replace("Value.Total", "Value.Score", StringComparison.Ordinal));
        var kept = await game.ReloadAsync();
        Assert.True(kept.Succeeded, Describe(kept));
        Assert.DoesNotContain(kept.Diagnostics, d => d.Id == MoltDiagnosticIds.StateMembersRemoved);
        Assert.EndsWith("|4", game.Show());
    }

    [Fact]
    public async Task AMemberWhoseTypeNoLongerConvertsIsRefusedNamingTheTypeThatDeclaresIt()
    {
        await using var game = await StartAsync();
        game.Workspace.Write("store.cs", Module
            .Replace("record Item(string Name, int Count)", "record Item(string Name, string Count)", StringComparison.Ordinal)
            .Replace("new Item(name, count)", "new Item(name, $\"{count}\")", StringComparison.Ordinal));
        var result = await game.ReloadAsync();

        Assert.False(result.Succeeded);
        var error = Assert.Single(result.Diagnostics, d => d.Id == MoltDiagnosticIds.StateNotMigrated);
        Assert.Contains("bag.Items[0].Count: cannot convert Int32 to String (the type of Item.Count changed)", error.Message);
    }

    [Fact]
    public async Task ObjectsOfARemovedTypeBecomeAnotherTypeThroughACustomMigrationFromIt()
    {
        const string shapes = """
            public interface IShape { int Size { get; } }
            public sealed class Square : IShape { public int Size { get; set; } }
            // CIRCLE
            public static class Shapes
            {
                [Persistent] private static List<IShape> s_all = [new Square { Size = 1 }, new Circle { Size = 2 }];
                [Export] public static string Show() => string.Join(",", s_all.Select(s => $"{s.GetType().Name}{s.Size}"));
            }
            """;
        await using var workspace = new ModuleWorkspace();
        workspace.Write("shapes.cs", shapes.Replace("// CIRCLE", "public sealed class Circle : IShape { public int Size { get; set; } }", StringComparison.Ordinal));
        var engine = await workspace.StartAsync();
        Assert.Equal("Square1,Circle2", engine.GetEntryPoint<Func<string>>("shapes", "Show").Current());

        workspace.Write("shapes.cs", shapes
            .Replace("// CIRCLE", "public static class Gone { [StateMigration(From = \"Circle\")] public static Square FromCircle(StateObject old) => new() { Size = old.Get<int>(\"Size\") * 10 }; }", StringComparison.Ordinal)
            .Replace(", new Circle { Size = 2 }", string.Empty, StringComparison.Ordinal));
        var result = await engine.ReloadAsync().WaitAsync(TestTimeouts.Reload);

        Assert.True(result.Succeeded, Describe(result));
        Assert.Equal("Square1,Square20", engine.GetEntryPoint<Func<string>>("shapes", "Show").Current());
    }

    [Fact]
    public async Task ACustomMigrationOfANestedTypeChangesOnlyWhatChangedAndRunsEvenWhenTheShapeDidNot()
    {
        await using var game = await StartAsync();

        // Count becomes a string; the migration gets the default migration of the rest and fixes Count.
        game.Workspace.Write("store.cs", Module.Replace("record Item(string Name, int Count)", "record Item(string Name, string Count)", StringComparison.Ordinal)
            .Replace("new Item(name, count)", "new Item(name, count.ToString())", StringComparison.Ordinal)
            + "\npublic static class Migrations { [StateMigration] public static Item Up(StateObject old, Item migrated) => migrated with { Count = $\"{old.Get<int>(\"Count\")} pcs\" }; }");
        var changed = await game.ReloadAsync();
        Assert.True(changed.Succeeded, Describe(changed));
        Assert.Equal("Item { Name = apple, Count = 2 pcs },Item { Name = pear, Count = 1 pcs }|3", game.Show());

        // Same shape, a migration present: it runs (it is how a value is rewritten on purpose).
        game.Workspace.Write("store.cs", Module.Replace("record Item(string Name, int Count)", "record Item(string Name, string Count)", StringComparison.Ordinal)
            .Replace("new Item(name, count)", "new Item(name, count.ToString())", StringComparison.Ordinal)
            + "\npublic static class Migrations { [StateMigration] public static Item Up(StateObject old, Item migrated) => migrated with { Name = migrated.Name.ToUpperInvariant() }; }");
        var rewritten = await game.ReloadAsync();
        Assert.True(rewritten.Succeeded, Describe(rewritten));
        Assert.StartsWith("Item { Name = APPLE, Count = 2 pcs }", game.Show());
    }

    [Fact]
    public async Task AMigrationThatThrowsIsReportedWithItsOwnFileAndLineAndTheAdviceToFixIt()
    {
        await using var game = await StartAsync();
        var source = Module.Replace("record Item(string Name, int Count)", "record Item(string Name, string Count)", StringComparison.Ordinal)
            .Replace("new Item(name, count)", "new Item(name, count.ToString())", StringComparison.Ordinal)
            + "\npublic static class Migrations\n{\n    [StateMigration]\n    public static Item Up(StateObject old) => throw new FormatException(\"bad count\");\n}\n";
        var path = game.Workspace.Write("store.cs", source);
        var result = await game.ReloadAsync();

        Assert.False(result.Succeeded);
        var error = Assert.Single(result.Errors);
        Assert.Equal(MoltDiagnosticIds.StateNotMigrated, error.Id);
        Assert.Equal(path, error.File);
        Assert.Equal(source.Split('\n').ToList().FindIndex(l => l.Contains("bad count", StringComparison.Ordinal)) + 1, error.Line);
        Assert.Contains("Fix the [StateMigration] method", error.Message);
        Assert.Equal("Item { Name = apple, Count = 2 },Item { Name = pear, Count = 1 }|3", game.Show());
    }

    [Fact]
    public async Task TheResetPolicyDeclaredInTheSameEditAppliesAtOnce()
    {
        await using var game = await StartAsync();
        game.Workspace.Write("store.cs", Module.Replace("record Item(string Name, int Count)", "record Item(string Name, DateTime Count)", StringComparison.Ordinal)
            .Replace("new Item(name, count)", "new Item(name, DateTime.UnixEpoch.AddDays(count))", StringComparison.Ordinal)
            .Replace("/*POLICY*/", ", MigrationFailurePolicy.Reset", StringComparison.Ordinal));
        var result = await game.ReloadAsync();

        Assert.True(result.Succeeded, Describe(result));
        Assert.Equal(StateChangeKind.Reset, Assert.Single(result.State).Kind);
        Assert.Contains(result.Diagnostics, d => d.Id == MoltDiagnosticIds.StateReset);
        Assert.Equal("|0", game.Show());
    }

    [Fact]
    public async Task AValueNoCodeAsksForAnyMoreWhoseTypeIsGoneIsDroppedWithAWarningNotBlockingTheModule()
    {
        await using var game = await StartAsync();
        game.Workspace.Write("store.cs", "public static class Store { [Export] public static string Show() => \"empty\"; [Export] public static void Add(string name, int count) { } }");
        var result = await game.ReloadAsync();

        Assert.True(result.Succeeded, Describe(result));
        Assert.Equal(StateChangeKind.Dropped, Assert.Single(result.State).Kind);
        var warning = Assert.Single(result.Diagnostics, d => d.Id == MoltDiagnosticIds.StateDropped);
        Assert.Equal(DiagnosticSeverity.Warning, warning.Severity);
        Assert.Equal("empty", game.Show());
    }

    private static string Describe(ReloadResult result) => $"{result.Error}\n{string.Join("\n", result.Diagnostics)}";

    private static async Task<GameHost> StartAsync()
    {
        var workspace = new ModuleWorkspace();
        workspace.Write("store.cs", Module);
        var engine = await workspace.StartAsync();
        var game = new GameHost(workspace, engine);
        game.Add("apple", 2);
        game.Add("pear", 1);
        return game;
    }

    private sealed class GameHost(ModuleWorkspace workspace, MoltEngine engine) : IAsyncDisposable
    {
        private readonly EntryPoint<Action<string, int>> _add = engine.GetEntryPoint<Action<string, int>>("store", "Add");
        private readonly EntryPoint<Func<string>> _show = engine.GetEntryPoint<Func<string>>("store", "Show");

        public ModuleWorkspace Workspace => workspace;

        public void Add(string name, int count) => _add.Current(name, count);

        public string Show() => _show.Current();

        public Task<ReloadResult> ReloadAsync() => engine.ReloadAsync().WaitAsync(TestTimeouts.Reload);

        public ValueTask DisposeAsync() => workspace.DisposeAsync();
    }
}
