using Molt.Reloading;
using Molt.Tests.Infrastructure;

namespace Molt.Tests.Reliability;

/// <summary>
/// Issue 13, item 1: a migration that threw once left the state store's transaction open, and every
/// later reload failed with "A reload transaction is already open on this state store". Each test
/// makes the migration of a real module's state throw, then checks the reload failed cleanly, the
/// old generation serves with its state, and two good edits after it reload.
/// </summary>
public sealed class StateWedgeTests
{
    private static readonly StateModule Dictionary = new(
        Types: "public sealed record Key(string Name, int Id);",
        StateType: "Dictionary<Key, int>",
        Name: "map",
        Initial: "new Dictionary<Key, int> { [new Key(\"a\", 1)] = 1, [new Key(\"a\", 2)] = 2 }",
        Read: "string.Join(\",\", s.Value.OrderBy(kv => kv.Value).Select(kv => $\"{kv.Key.Name}={kv.Value}\"))",
        Bump: "s.Update(d => d.ToDictionary(kv => kv.Key, kv => kv.Value + 10)).Values.Sum()");

    private static readonly StateModule Sorted = new(
        Types: "public sealed record Item(int Rank) : IComparable<Item> { public int CompareTo(Item? other) => Rank.CompareTo(other!.Rank); }",
        StateType: "SortedSet<Item>",
        Name: "items",
        Initial: "new SortedSet<Item> { new(3), new(1), new(2) }",
        Read: "string.Join(\",\", s.Value.Select(i => i.Rank))",
        Bump: "s.Update(set => new SortedSet<Item>(set.Select(i => new Item(i.Rank * 10)))).Max!.Rank");

    private static readonly StateModule Boxed = new(
        Types: "public sealed record Box(int N);",
        StateType: "Box",
        Name: "box",
        Initial: "new Box(1)",
        Read: "s.Value.ToString()",
        Bump: "(int)s.Update(b => b with { N = b.N + 1 }).N");

    [Fact]
    public async Task TwoDictionaryKeysThatBecomeEqualFailTheReloadCleanlyAndTheNextReloadsSucceed()
    {
        // The record key loses the member that told the two keys apart.
        var bad = Dictionary.Source(1)
            .Replace("record Key(string Name, int Id)", "record Key(string Name)", StringComparison.Ordinal)
            .Replace("new Key(\"a\", 1)", "new Key(\"a\")", StringComparison.Ordinal)
            .Replace("new Key(\"a\", 2)", "new Key(\"b\")", StringComparison.Ordinal);

        await AssertFailsCleanlyThenRecoversAsync(Dictionary, new BadEdit(bad, MoltDiagnosticIds.StateNotMigrated, ["app/map"]));
    }

    [Fact]
    public async Task ACompareToThatThrowsWhileASortedSetIsRebuiltFailsTheReloadCleanlyAndTheNextReloadsSucceed()
    {
        var bad = Sorted.Source(1).Replace(
            "=> Rank.CompareTo(other!.Rank);",
            "=> throw new InvalidOperationException(\"items can no longer be compared\");",
            StringComparison.Ordinal);

        await AssertFailsCleanlyThenRecoversAsync(Sorted, new BadEdit(bad, MoltDiagnosticIds.StateNotMigrated, ["app/items"]));
    }

    [Fact]
    public async Task ACompareToThatThrowsIsNamedInTheDiagnostic()
    {
        await using var workspace = new ModuleWorkspace();
        workspace.Write("app.cs", Sorted.Source(1));
        var engine = await workspace.StartAsync();

        workspace.Write("app.cs", Sorted.Source(1).Replace("=> Rank.CompareTo(other!.Rank);", "=> throw new InvalidOperationException(\"items can no longer be compared\");", StringComparison.Ordinal));
        var failed = await engine.ReloadAsync().WaitAsync(TestTimeouts.Reload);

        var error = Assert.Single(failed.Errors);
        Assert.Equal(MoltDiagnosticIds.StateNotMigrated, error.Id);
        Assert.Contains("items can no longer be compared", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AStateMigrationMethodThatThrowsCollectionWasModifiedFailsTheReloadCleanlyAndTheNextReloadsSucceed()
    {
        var bad = Boxed.Source(1)
            .Replace("record Box(int N)", "record Box(long N, string Label)", StringComparison.Ordinal)
            .Replace("new Box(1)", "new Box(1, \"one\")", StringComparison.Ordinal) + """

            internal static class Migrations
            {
                [StateMigration]
                public static Box FromOld(StateObject old) => throw new InvalidOperationException("Collection was modified; enumeration operation may not execute.");
            }
            """;

        await AssertFailsCleanlyThenRecoversAsync(Boxed, new BadEdit(bad, MoltDiagnosticIds.StateNotMigrated, ["app/box", "Collection was modified"]));
    }

    [Fact]
    public async Task ACollectionWasModifiedThrownWhileStateIsStagedFailsTheReloadCleanlyAndTheNextReloadsSucceed()
    {
        // Thrown by the engine around staging, not by one value: there is no value to name, so it is an internal error.
        var edit = Boxed.Source(1).Replace("v1 ", "v1b ", StringComparison.Ordinal);
        await AssertFailsCleanlyThenRecoversAsync(Boxed, new BadEdit(edit, MoltDiagnosticIds.InternalError, ["Collection was modified"])
        {
            Arm = faults => faults.Throw(ReloadPhase.StateStaging, () => new InvalidOperationException("Collection was modified; enumeration operation may not execute.")),
        });
    }

    private static async Task AssertFailsCleanlyThenRecoversAsync(StateModule module, BadEdit edit)
    {
        await using var workspace = new ModuleWorkspace();
        workspace.Write("app.cs", module.Source(1));
        var faults = new ReloadFaults();
        var engine = await workspace.StartAsync(o => o.Faults = faults);
        var read = engine.GetEntryPoint<Func<string>>("app", "Read");
        var bump = engine.GetEntryPoint<Func<int>>("app", "Bump");
        var before = read.Current();

        edit.Arm?.Invoke(faults);
        workspace.Write("app.cs", edit.Source);
        var failed = await engine.ReloadAsync().WaitAsync(TestTimeouts.Reload);

        Assert.False(failed.Succeeded, "the bad edit loaded");
        var error = Assert.Single(failed.Errors);
        Assert.True(error.Id == edit.Id, $"expected {edit.Id}, got {error}");
        Assert.All(edit.MessageParts, part => Assert.Contains(part, error.Message, StringComparison.Ordinal));
        Assert.DoesNotContain("already open", error.Message, StringComparison.Ordinal);
        Assert.False(faults.IsArmed(ReloadPhase.StateStaging), "the injected fault was never reached");

        // The old generation serves its state, and its handle still writes.
        Assert.Equal(before, read.Current());
        bump.Current();
        var after = read.Current();
        Assert.NotEqual(before, after);

        // Nothing was left open: a good edit reloads, with the state as the old generation left it, and so does the next.
        for (var version = 2; version <= 3; version++)
        {
            workspace.Write("app.cs", module.Source(version));
            var result = await engine.ReloadAsync().WaitAsync(TestTimeouts.Reload);
            Assert.True(result.Succeeded, $"reload {version} after the failure: {result.Error}: {string.Join(" | ", result.Errors)}");
            Assert.Equal(after.Replace("v1 ", $"v{version} ", StringComparison.Ordinal), read.Current());
        }
    }

    /// <summary>A module holding one persistent value, with exports to read it and to write it through its handle.</summary>
    private sealed record StateModule(string Types, string StateType, string Name, string Initial, string Read, string Bump)
    {
        public string Source(int version) => $$"""
            {{Types}}

            public static class App
            {
                private static IPersistentState<{{StateType}}>? s_state;
                internal static void Attach(IPersistentState<{{StateType}}> state) => s_state = state;
                [Export] public static string Read() { var s = s_state!; return "v{{version}} " + {{Read}}; }
                [Export] public static int Bump() { var s = s_state!; return {{Bump}}; }
            }

            public sealed class Lifecycle : IModule
            {
                public ValueTask OnLoadAsync(IModuleContext context)
                {
                    App.Attach(context.State("{{Name}}", () => {{Initial}}));
                    return ValueTask.CompletedTask;
                }
            }
            """;
    }

    private sealed record BadEdit(string Source, string Id, string[] MessageParts)
    {
        /// <summary>Gets what to inject into the bad edit's reload, if anything.</summary>
        public Action<ReloadFaults>? Arm { get; init; }
    }
}
