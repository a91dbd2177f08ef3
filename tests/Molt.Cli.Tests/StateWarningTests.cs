namespace Molt.Cli.Tests;

/// <summary>A reload that loses data says so where people look: the molt run line and molt reload's output, not only --json.</summary>
public sealed class StateWarningTests
{
    private const string Module = """
        public sealed class Score { public int Points { get; set; } = 5; public int Bonus { get; set; } = 7; }

        public static class Game
        {
            [Persistent] private static Score s_score = new();
            [Export] public static int Points() => s_score.Points;
        }
        """;

    [Fact]
    public async Task AMemberRemovedWithItsValueIsAWarningShownByRunAndByReload()
    {
        using var workspace = new TempWorkspace();
        var path = workspace.Write("game.cs", Module);
        await using var molt = await MoltRunProcess.StartAsync(workspace, "--no-watch");

        File.WriteAllText(path, Module.Replace(" public int Bonus { get; set; } = 7;", string.Empty, StringComparison.Ordinal));
        var reload = await MoltTool.RunAsync(workspace.RuntimeDirectory, "reload");

        Assert.True(reload.ExitCode == 0, reload.ToString());
        Assert.Contains("reloaded generation 2", reload.Output);
        Assert.Contains("warning MOLT053", reload.Output);
        Assert.Contains("Score.Bonus", reload.Output);
        await molt.WaitForLineAsync(l => l.Contains("warning MOLT053", StringComparison.Ordinal) && l.Contains("Score.Bonus", StringComparison.Ordinal));
    }
}
