using Molt.Tests.Infrastructure;

namespace Molt.Tests.Engine;

public sealed class ReloadTests
{
    private const string Calc = """
        public static class Calc
        {
            [Export] public static int Add(int a, int b) => a + b;
        }
        """;

    [Fact]
    public async Task BodyEditTakesEffectOnTheNextCall()
    {
        await using var workspace = new ModuleWorkspace();
        workspace.Write("calc.cs", Calc);
        var engine = await workspace.StartAsync();
        var add = engine.GetEntryPoint<Func<int, int, int>>("calc", "Add");
        Assert.Equal(5, add.Current(2, 3));

        workspace.Write("calc.cs", Calc.Replace("a + b", "a * b + 100"));
        var result = await engine.ReloadAsync();

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(106, add.Current(2, 3));
        Assert.Equal(2, add.Generation);
        var change = Assert.Single(result.Changes);
        Assert.Equal(("calc", ModuleChangeKind.Changed), (change.Module, change.Kind));
        Assert.Equal([workspace.PathOf("calc.cs")], change.ChangedFiles);
        Assert.Equal([workspace.PathOf("calc.cs")], result.ChangedFiles["calc"]);
    }

    [Fact]
    public async Task StructuralEditWithNewTypeNewFieldAndChangedSignatureTakesEffect()
    {
        await using var workspace = new ModuleWorkspace();
        workspace.Write("shapes.cs", """
            public static class Shapes
            {
                private static string Describe(int side) => $"square {side}";
                [Export] public static string Run(int n) => Describe(n);
            }
            """);
        var engine = await workspace.StartAsync();
        var run = engine.GetEntryPoint<Func<int, string>>("shapes", "Run");
        Assert.Equal("square 3", run.Current(3));

        // A new record type, a new static field, a helper whose signature changed, a new export.
        workspace.Write("shapes.cs", """
            public sealed record Circle(double Radius);
            public static class Shapes
            {
                private static int s_calls;
                private static string Describe(Circle circle, int calls) => $"circle {circle.Radius} (call {calls})";
                [Export] public static string Run(int n) => Describe(new Circle(n * 2), ++s_calls);
                [Export] public static double Area(double r) => Math.Round(Math.PI * r * r, 2);
            }
            """);
        var result = await engine.ReloadAsync();

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal("circle 6 (call 1)", run.Current(3));
        Assert.Equal("circle 8 (call 2)", run.Current(4));
        var area = engine.GetEntryPoint<Func<double, double>>("shapes", "Area");
        Assert.Equal(3.14, area.Current(1));
    }

    [Fact]
    public async Task SyntaxErrorLeavesTheOldCodeServingAndReportsFileAndLine()
    {
        await using var workspace = new ModuleWorkspace();
        var path = workspace.Write("calc.cs", Calc);
        var engine = await workspace.StartAsync();
        var add = engine.GetEntryPoint<Func<int, int, int>>("calc", "Add");

        workspace.Write("calc.cs", """
            public static class Calc
            {
                [Export] public static int Add(int a, int b) => a - b
            }
            """);
        var result = await engine.ReloadAsync();

        Assert.False(result.Succeeded);
        var error = Assert.Single(result.Errors);
        Assert.Equal((path, 3, "CS1002"), (error.File, error.Line, error.Id));
        Assert.True(error.Column > 0);
        Assert.Equal(5, add.Current(2, 3));
        Assert.Equal(1, add.Generation);
        Assert.Equal(1, engine.Manifest.Modules.Single().Generation);
        Assert.Same(result, engine.Manifest.LastReload);
    }

    [Fact]
    public async Task TypeErrorLeavesTheOldCodeServingAndReportsFileAndLine()
    {
        await using var workspace = new ModuleWorkspace();
        var path = workspace.Write("calc.cs", Calc);
        var engine = await workspace.StartAsync();
        var add = engine.GetEntryPoint<Func<int, int, int>>("calc", "Add");

        workspace.Write("calc.cs", """
            public static class Calc
            {
                [Export] public static int Add(int a, int b)
                {
                    string text = a + b;
                    return text.Length;
                }
            }
            """);
        var result = await engine.ReloadAsync();

        Assert.False(result.Succeeded);
        var error = Assert.Single(result.Errors);
        Assert.Equal((path, 5, "CS0029"), (error.File, error.Line, error.Id));
        Assert.Contains("calc", result.Error);
        Assert.Equal(5, add.Current(2, 3));

        // The next good edit recovers.
        workspace.Write("calc.cs", Calc.Replace("a + b", "a + b + 1"));
        Assert.True((await engine.ReloadAsync()).Succeeded);
        Assert.Equal(6, add.Current(2, 3));
    }

    [Fact]
    public async Task ThrowingLoadHookLeavesTheOldCodeServingAndReportsWhereItThrew()
    {
        await using var workspace = new ModuleWorkspace();
        var path = workspace.Write("calc.cs", Calc);
        var engine = await workspace.StartAsync();
        var add = engine.GetEntryPoint<Func<int, int, int>>("calc", "Add");

        workspace.Write("calc.cs", """
            public static class Calc
            {
                [Export] public static int Add(int a, int b) => 0;
            }

            public sealed class Lifecycle : IModule
            {
                public ValueTask OnLoadAsync(IModuleContext context)
                {
                    throw new InvalidOperationException("the database is not there");
                }
            }
            """);
        var result = await engine.ReloadAsync();

        Assert.False(result.Succeeded);
        var error = Assert.Single(result.Errors);
        Assert.Equal(("MOLT027", path, 10), (error.Id, error.File, error.Line));
        Assert.Contains("the database is not there", error.Message);
        Assert.Equal(5, add.Current(2, 3));

        // The discarded generation never served, and is still unloaded.
        await engine.WhenUnloadsVerifiedAsync().WaitAsync(TestTimeouts.Verification);
        Assert.Empty(engine.Manifest.RetiredAlive);
    }

    [Fact]
    public async Task ModulesLoadInOrdinalFileNameOrder()
    {
        await using var workspace = new ModuleWorkspace();
        var recorder = new Recorder();
        foreach (var name in new[] { "0100_commands", "0010_pingpong", "9997_memory", "0020_autojoin", "folder_mod" })
        {
            var file = name == "folder_mod" ? "0015_folder/a.cs" : name + ".cs";
            workspace.Write(file, $$"""
                public sealed class Lifecycle : IModule
                {
                    public ValueTask OnLoadAsync(IModuleContext context)
                    {
                        ((Molt.Tests.Infrastructure.Recorder)context.Services.GetService(typeof(Molt.Tests.Infrastructure.Recorder))!).Add(context.ModuleName);
                        return ValueTask.CompletedTask;
                    }
                }
                """);
        }

        var engine = await workspace.StartAsync(o => o.Services = new RecorderServices(recorder));

        // The prefix orders loading and is not part of the name.
        string[] expected = ["pingpong", "folder", "autojoin", "commands", "memory"];
        Assert.Equal(expected, recorder.Lines);
        Assert.Equal(expected, engine.Manifest.Modules.Select(m => m.Name));
        Assert.Equal(ModuleKind.SourceFolder, engine.Manifest.Modules[1].Kind);
    }

    [Theory]
    [InlineData("0010_mud.cs", "0020_mud.cs")]
    [InlineData("mud.cs", "0010_mud/a.cs")]
    [InlineData("7-mud.cs", "mud.dll")]
    public async Task TwoModulesWhoseNamesCollideOnceTheirPrefixesAreDroppedFailTheLoadNamingBoth(string first, string second)
    {
        await using var workspace = new ModuleWorkspace();
        workspace.Write(first, "public static class A { }");
        workspace.Write(second, "public static class B { }");
        var engine = workspace.CreateEngine();

        var failed = await Assert.ThrowsAsync<MoltReloadException>(() => engine.StartAsync().WaitAsync(TestTimeouts.Reload));

        var error = Assert.Single(failed.Result.Errors);
        Assert.Equal(MoltDiagnosticIds.DuplicateModuleName, error.Id);
        Assert.Contains("Module name 'mud' is used twice", error.Message);
        Assert.Contains(workspace.PathOf(first.Split('/')[0]), error.Message);
        Assert.Contains(workspace.PathOf(second.Split('/')[0]), error.Message);
        Assert.Contains("ordering prefix", error.Message);
    }

    [Fact]
    public async Task RenumberingAModuleKeepsItsNameAndItsState()
    {
        await using var workspace = new ModuleWorkspace();
        const string Counter = "public static class Counter { [Persistent] static int s_n; [Export] public static int Next() => ++s_n; }";
        workspace.Write("0010_counter.cs", Counter);
        workspace.Write("2024_10.cs", "public static class Odd { }");
        var engine = await workspace.StartAsync();
        var next = engine.GetEntryPoint<Func<int>>("counter", "Next");
        Assert.Equal(1, next.Current());

        File.Move(workspace.PathOf("0010_counter.cs"), workspace.PathOf("0500_counter.cs"));
        var result = await engine.ReloadAsync().WaitAsync(TestTimeouts.Reload);

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(2, next.Current());
        Assert.Equal(["10", "counter"], engine.Manifest.Modules.Select(m => m.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ModuleAddedToTheDirectoryIsLoadedAndModuleDeletedIsUnloaded()
    {
        await using var workspace = new ModuleWorkspace();
        workspace.Write("calc.cs", Calc);
        var engine = await workspace.StartAsync();

        workspace.Write("extra.cs", """
            public static class Extra
            {
                [Export] public static string Hello() => "hello";
            }
            """);
        var added = await engine.ReloadAsync();
        Assert.True(added.Succeeded, added.Error);
        Assert.Equal(ModuleChangeKind.Added, Assert.Single(added.Changes).Kind);
        var hello = engine.GetEntryPoint<Func<string>>("extra", "Hello", fallback: () => "absent");
        Assert.Equal("hello", hello.Current());

        workspace.Delete("extra.cs");
        var removed = await engine.ReloadAsync();

        Assert.True(removed.Succeeded, removed.Error);
        Assert.Equal(("extra", ModuleChangeKind.Removed), (removed.Changes.Single().Module, removed.Changes.Single().Kind));
        Assert.Equal(["calc"], engine.Manifest.Modules.Select(m => m.Name));
        Assert.Equal("absent", hello.Current());
        Assert.Equal(0, hello.Generation);
        await engine.WhenUnloadsVerifiedAsync().WaitAsync(TestTimeouts.Verification);
        Assert.Empty(engine.Manifest.RetiredAlive);
    }

    [Fact]
    public async Task UnchangedFilesGiveAReloadThatChangesNothing()
    {
        await using var workspace = new ModuleWorkspace();
        var path = workspace.Write("calc.cs", Calc);
        var engine = await workspace.StartAsync();

        // Same bytes, new timestamp: content hashes, not timestamps, decide.
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddMinutes(5));
        var result = await engine.ReloadAsync();

        Assert.True(result.Succeeded);
        Assert.Empty(result.Changes);
        Assert.Equal(1, engine.Generation);
    }

    [Fact]
    public async Task ReloadingTheSameBrokenContentAgainRepeatsTheFailureWithoutRecompiling()
    {
        await using var workspace = new ModuleWorkspace();
        workspace.Write("calc.cs", Calc);
        var engine = await workspace.StartAsync();
        var failures = 0;
        engine.ReloadFailed += (_, _) => failures++;
        workspace.Write("calc.cs", Calc.Replace("a + b;", "a + ;"));

        var first = await engine.ReloadAsync();
        var again = await engine.ReloadAsync();

        Assert.False(first.Repeated);
        Assert.True(again.Repeated);
        Assert.False(again.Succeeded);
        Assert.Equal(first.Diagnostics, again.Diagnostics);
        Assert.Equal(1, failures);
        Assert.Same(first, engine.Manifest.LastReload);

        // A different edit is compiled again.
        workspace.Write("calc.cs", Calc.Replace("a + b;", "a + b + 2;"));
        var fixedResult = await engine.ReloadAsync();
        Assert.True(fixedResult.Succeeded, fixedResult.Error);
        Assert.False(fixedResult.Repeated);
    }

    [Fact]
    public async Task FirstLoadFailureThrowsWithTheDiagnostics()
    {
        await using var workspace = new ModuleWorkspace();
        var path = workspace.Write("broken.cs", "public class Broken { int x = ; }");
        var engine = workspace.CreateEngine();

        var ex = await Assert.ThrowsAsync<MoltReloadException>(() => engine.StartAsync());

        Assert.Contains(ex.Result.Errors, e => e.File == path && e.Line == 1);
        Assert.Contains("broken.cs(1,", ex.Message);
    }
}
