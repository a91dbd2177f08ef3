using System.Diagnostics;
using Molt.Hosting.Triggers;
using Xunit.Abstractions;

namespace Molt.Hosting.Tests;

public sealed class WatcherTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(SaveStyle.InPlace)]
    [InlineData(SaveStyle.TruncateThenWrite)]
    [InlineData(SaveStyle.TemporaryThenRename)]
    [InlineData(SaveStyle.DeleteThenCreate)]
    public async Task EachEditorSaveStyleGivesExactlyOneReloadOfTheNewContent(SaveStyle style)
    {
        await using var workspace = new HostedWorkspace();
        var path = workspace.Write("calc.cs", Modules.Calc("a + b"));
        await workspace.StartAsync();
        var add = workspace.Engine.GetEntryPoint<Func<int, int, int>>("calc", "Add");

        var saved = Stopwatch.GetTimestamp();
        EditorSave.Save(style, path, Modules.Calc("a * b + 1000"));
        var reload = await workspace.Log.WaitAsync(r => r.Trigger.Contains("watcher") && r.Changes.Count > 0);
        var latency = Stopwatch.GetElapsedTime(saved);

        // Once a probe finds nothing left to change, every event of the save has been served.
        var probe = await workspace.Engine.ReloadAsync("probe").WaitAsync(TestTimeouts.Reload);
        Assert.True(probe.Succeeded && probe.Changes.Count == 0, "the probe found changes the watcher missed");
        Assert.True(reload.Succeeded, reload.Error);
        Assert.Single(workspace.Log.Changing);
        Assert.Empty(workspace.Log.Failures);
        Assert.Equal(1007, add.Current(7, 1));
        output.WriteLine($"{style}: save to reload done {latency.TotalMilliseconds:F1} ms (reload itself {reload.Timings.Total.TotalMilliseconds:F1} ms)");
    }

    [Fact]
    public async Task ABurstOfSavesCoalescesAndEndsWithTheLastContent()
    {
        await using var workspace = new HostedWorkspace();
        var path = workspace.Write("calc.cs", Modules.Calc("a + b"));
        await workspace.StartAsync();
        var add = workspace.Engine.GetEntryPoint<Func<int, int, int>>("calc", "Add");

        for (var i = 1; i <= 50; i++)
        {
            File.WriteAllText(path, Modules.Calc($"a + b + {i}"));
        }

        await workspace.Log.WaitAsync(r => r.Changes.Count > 0 && r.Trigger.Contains("watcher"));
        await WaitUntilAsync(() => add.Current(0, 0) == 50);
        var probe = await workspace.Engine.ReloadAsync("probe").WaitAsync(TestTimeouts.Reload);

        Assert.Empty(probe.Changes);
        Assert.InRange(workspace.Log.Changing.Count, 1, 3);
        output.WriteLine($"50 saves gave {workspace.Log.Changing.Count} reload(s)");
    }

    [Fact]
    public async Task NewModulesAreLoadedAndDeletedModulesUnloaded()
    {
        await using var workspace = new HostedWorkspace();
        workspace.Write("calc.cs", Modules.Calc("a + b"));
        await workspace.StartAsync();

        workspace.Write("extra.cs", "public static class Extra { [Export] public static int Two() => 2; }");
        var added = await workspace.Log.WaitAsync(r => r.Changes.Any(c => c.Module == "extra" && c.Kind == ModuleChangeKind.Added));
        Assert.True(added.Succeeded, added.Error);
        Assert.Contains(workspace.Engine.Manifest.Modules, m => m.Name == "extra");

        File.Delete(workspace.PathOf("extra.cs"));
        var removed = await workspace.Log.WaitAsync(r => r.Changes.Any(c => c.Module == "extra" && c.Kind == ModuleChangeKind.Removed));
        Assert.True(removed.Succeeded, removed.Error);
        Assert.DoesNotContain(workspace.Engine.Manifest.Modules, m => m.Name == "extra");
    }

    [Fact]
    public async Task AFailedReloadIsRetriedWhenTheFilesChangeAgain()
    {
        await using var workspace = new HostedWorkspace();
        var path = workspace.Write("calc.cs", Modules.Calc("a + b"));
        await workspace.StartAsync();
        var add = workspace.Engine.GetEntryPoint<Func<int, int, int>>("calc", "Add");

        File.WriteAllText(path, Modules.Calc("a + b +"));
        var failed = await workspace.Log.WaitAsync(r => !r.Succeeded);
        Assert.Contains(failed.Errors, d => d.File == path && d.Line == 3);
        Assert.Equal(3, add.Current(1, 2));

        File.WriteAllText(path, Modules.Calc("a + b + 10"));
        await workspace.Log.WaitAsync(r => r.Succeeded && r.Changes.Count > 0);
        Assert.Equal(13, add.Current(1, 2));
    }

    [Fact]
    public void OnlyModuleFilesAreRelevant()
    {
        var root = Path.Combine(Path.GetTempPath(), "molt-filter");
        var directory = new WatchTarget(root, null);
        string P(string relative) => Path.Combine(root, relative);

        Assert.True(ChangeFilter.IsRelevant(directory, P("calc.cs")));
        Assert.True(ChangeFilter.IsRelevant(directory, P("Folder/Inner/x.cs")));
        Assert.True(ChangeFilter.IsRelevant(directory, P("plugin.dll")));
        Assert.True(ChangeFilter.IsRelevant(directory, P("Folder")));
        Assert.False(ChangeFilter.IsRelevant(directory, P("bin/Debug/x.cs")));
        Assert.False(ChangeFilter.IsRelevant(directory, P("Folder/obj/x.cs")));
        Assert.False(ChangeFilter.IsRelevant(directory, P(".calc.cs.swp")));
        Assert.False(ChangeFilter.IsRelevant(directory, P("calc.cs~")));
        Assert.False(ChangeFilter.IsRelevant(directory, P("#calc.cs#")));
        Assert.False(ChangeFilter.IsRelevant(directory, P("4913")));
        Assert.False(ChangeFilter.IsRelevant(directory, P("calc.cs.tmp")));
        Assert.False(ChangeFilter.IsRelevant(directory, P(".git/HEAD")));
        Assert.False(ChangeFilter.IsRelevant(directory, P("notes.md")));

        var single = new WatchTarget(root, P("calc.cs"));
        Assert.True(ChangeFilter.IsRelevant(single, P("calc.cs")));
        Assert.False(ChangeFilter.IsRelevant(single, P("other.cs")));
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TestTimeouts.Reload);
        while (!condition())
        {
            await Task.Delay(10, timeout.Token);
        }
    }
}
