using Molt.Hosting.Tests;

namespace Molt.Cli.Tests;

public sealed class RunSaveTests
{
    [Theory]
    [InlineData(SaveStyle.InPlace)]
    [InlineData(SaveStyle.TruncateThenWrite)]
    [InlineData(SaveStyle.TemporaryThenRename)]
    [InlineData(SaveStyle.DeleteThenCreate)]
    public async Task EachEditorSaveStylePrintsExactlyOneReload(SaveStyle style)
    {
        using var workspace = new TempWorkspace();
        var path = workspace.Write("calc.cs", Sources.Calc("a + b"));
        await using var molt = await MoltRunProcess.StartAsync(workspace);

        EditorSave.Save(style, path, Sources.Calc("a * b"));
        await molt.WaitForLineAsync(l => l.Contains("reloaded generation 2", StringComparison.Ordinal));

        // A reload through the socket that finds nothing to change proves the save was fully served.
        var probe = await MoltTool.RunAsync(workspace.RuntimeDirectory, "reload", "--json");
        Assert.True(probe.ExitCode == 0, probe.ToString());
        Assert.Empty(probe.Json["changed"]!.AsArray());
        Assert.Equal(2, probe.Json["generation"]!.GetValue<int>());
        Assert.Single(molt.Lines, l => l.Contains(" reloaded ", StringComparison.Ordinal));
        Assert.DoesNotContain(molt.Lines, l => l.Contains("failed", StringComparison.Ordinal));
        Assert.Contains(molt.Lines, l => l.Contains("reloaded generation 2", StringComparison.Ordinal) && l.Contains("(watcher): calc (changed: calc.cs)", StringComparison.Ordinal));
    }
}
