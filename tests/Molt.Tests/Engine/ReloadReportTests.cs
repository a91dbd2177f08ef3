using Molt.Tests.Infrastructure;

namespace Molt.Tests.Engine;

/// <summary>What a reload reports: numbers that name one generation only, what a reload with nothing to do found, events that print usefully.</summary>
public sealed class ReloadReportTests
{
    private const string Calc = "public static class Calc { [Export] public static int Add(int a, int b) => a + b + OFFSET; }\n// HOOK";

    private const string ThrowingHook = "public sealed class Hook : IModule { public ValueTask OnLoadAsync(IModuleContext c) => throw new InvalidOperationException(\"no\"); }";

    [Fact]
    public async Task AGenerationNumberAFailedReloadShowedIsNeverGivenToAnotherGeneration()
    {
        await using var workspace = new ModuleWorkspace();
        workspace.Write("calc.cs", Version(0));
        var engine = await workspace.StartAsync();

        // A compile error: the candidate is never loaded, but its number is in the result.
        workspace.Write("calc.cs", Version(1).Replace("a + b", "a ++ b", StringComparison.Ordinal));
        var compileError = await engine.ReloadAsync().WaitAsync(TestTimeouts.Reload);
        Assert.False(compileError.Succeeded);
        Assert.Equal(2, Assert.Single(compileError.Changes).Generation);

        // A load hook that throws: loaded, discarded.
        workspace.Write("calc.cs", Version(2).Replace("// HOOK", ThrowingHook, StringComparison.Ordinal));
        var loadError = await engine.ReloadAsync().WaitAsync(TestTimeouts.Reload);
        Assert.False(loadError.Succeeded);
        Assert.Equal(3, Assert.Single(loadError.Changes).Generation);

        workspace.Write("calc.cs", Version(3));
        var fixedUp = await engine.ReloadAsync().WaitAsync(TestTimeouts.Reload);
        Assert.True(fixedUp.Succeeded, fixedUp.Error);
        Assert.Equal(4, Assert.Single(fixedUp.Changes).Generation);
        Assert.Equal(4, engine.Manifest.Modules.Single().Generation);
        Assert.Equal(5, engine.GetEntryPoint<Func<int, int, int>>("calc", "Add").Current(1, 1));
    }

    [Fact]
    public async Task AReloadThatFindsNothingChangedSaysWhichReloadAppliedWhatServesAndWhen()
    {
        await using var workspace = new ModuleWorkspace();
        workspace.Write("calc.cs", Version(0));
        var engine = await workspace.StartAsync();
        var started = Assert.IsType<AppliedReload>((await engine.ReloadAsync("control").WaitAsync(TestTimeouts.Reload)).UnchangedSince);
        Assert.Equal((1, "start"), (started.Generation, started.Trigger));

        // The watcher got there first; the user's own reload then finds nothing to do, and says so.
        workspace.Write("calc.cs", Version(1));
        var byWatcher = await engine.ReloadAsync("watcher").WaitAsync(TestTimeouts.Reload);
        var asked = await engine.ReloadAsync("control").WaitAsync(TestTimeouts.Reload);

        Assert.True(asked.Succeeded);
        Assert.Empty(asked.Changes);
        Assert.Null(byWatcher.UnchangedSince);
        var since = Assert.IsType<AppliedReload>(asked.UnchangedSince);
        Assert.Equal((2, "watcher"), (since.Generation, since.Trigger));
        Assert.InRange(since.AppliedAt, byWatcher.StartedAt, asked.StartedAt);
        Assert.Equal("reloaded generation 2 (control): nothing changed since generation 2 (watcher)", new ReloadEventArgs(asked).ToString());

        workspace.Write("calc.cs", "broken");
        Assert.Null((await engine.ReloadAsync("control").WaitAsync(TestTimeouts.Reload)).UnchangedSince);
    }

    [Fact]
    public async Task EventArgsPrintWhatHappened()
    {
        await using var workspace = new ModuleWorkspace();
        workspace.Write("calc.cs", Version(0));
        var engine = await workspace.StartAsync();
        var reloaded = new List<string>();
        var failed = new List<string>();
        var reloading = new List<string>();
        engine.Reloading += (_, e) => reloading.Add(e.ToString());
        engine.Reloaded += (_, e) => reloaded.Add(e.ToString());
        engine.ReloadFailed += (_, e) => failed.Add(e.ToString());

        workspace.Write("calc.cs", Version(1));
        await engine.ReloadAsync().WaitAsync(TestTimeouts.Reload);
        workspace.Write("calc.cs", Version(2).Replace("a + b", "a ++ b", StringComparison.Ordinal));
        await engine.ReloadAsync().WaitAsync(TestTimeouts.Reload);

        Assert.Equal(["reloading (api)", "reloading (api)"], reloading);
        Assert.Equal(["reloaded generation 2 (api): calc#2 (changed)"], reloaded);
        Assert.StartsWith("reload failed (api): compile errors in calc", Assert.Single(failed), StringComparison.Ordinal);
        Assert.EndsWith("; generation 2 keeps serving", failed[0], StringComparison.Ordinal);
        Assert.Equal("calc#3: collected", new GenerationEventArgs("calc", 3, "collected").ToString());
    }

    private static string Version(int offset) => Calc.Replace("OFFSET", offset.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
}
