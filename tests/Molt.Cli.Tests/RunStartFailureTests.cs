namespace Molt.Cli.Tests;

/// <summary>A <c>molt run</c> that cannot start says so once, on one line, and exits 1.</summary>
public sealed class RunStartFailureTests
{
    [Fact]
    public async Task AFailedFirstLoadIsPrintedOnceSaysNothingIsServingAndHasNoStackTrace()
    {
        using var workspace = new TempWorkspace();
        var path = workspace.Write("calc.cs", Sources.Calc("a +"));

        var run = await MoltTool.RunAsync(workspace.RuntimeDirectory, "run", workspace.Modules);

        Assert.True(run.ExitCode == 1, run.ToString());
        var failure = Assert.Single(Lines(run.Output), l => l.Contains("failed", StringComparison.Ordinal));
        Assert.Contains("load failed", failure);
        Assert.EndsWith("compile errors in calc; nothing is serving", failure);
        Assert.Single(Lines(run.Output), l => l.Contains($"{path}:3:", StringComparison.Ordinal));
        Assert.DoesNotContain("keeps serving", run.Output);
        Assert.DoesNotContain("molt: ready", run.Output);
        AssertOneCannotStartLine(run, "the modules could not be loaded");
    }

    [Fact]
    public async Task ASecondRunOnASocketInUseIsRefusedBeforeAnyModuleCodeRuns()
    {
        using var first = new TempWorkspace();
        first.Write("calc.cs", Sources.Calc("a + b"));
        var socket = Path.Combine(first.RuntimeDirectory, "shared.sock");
        await using var serving = await MoltRunProcess.StartAsync(first, "--no-watch", "--socket", socket);
        using var second = new TempWorkspace();
        var marker = Path.Combine(second.Root, "loaded.txt");
        second.Write("hooked.cs", Sources.LoadHook(marker));

        var run = await MoltTool.RunAsync(second.RuntimeDirectory, "run", second.Modules, "--socket", socket);

        Assert.True(run.ExitCode == 1, run.ToString());
        AssertOneCannotStartLine(run, "another process is listening on it");
        Assert.False(File.Exists(marker), "the second molt run ran a load hook before refusing the socket");
        Assert.Empty(Lines(run.Output));
        var status = await MoltTool.RunAsync(first.RuntimeDirectory, "status", "--socket", socket, "--json");
        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.Equal(serving.Id, status.Json["pid"]!.GetValue<int>());
    }

    [Fact]
    public async Task AnUnsafeSocketDirectoryIsRefusedBeforeAnyModuleCodeRuns()
    {
        using var workspace = new TempWorkspace();
        var marker = Path.Combine(workspace.Root, "loaded.txt");
        workspace.Write("hooked.cs", Sources.LoadHook(marker));
        var shared = Path.Combine(workspace.Root, "shared");
        Directory.CreateDirectory(shared);
        File.SetUnixFileMode(shared, (UnixFileMode)0x1FF);

        var run = await MoltTool.RunAsync(workspace.RuntimeDirectory, "run", workspace.Modules, "--socket", Path.Combine(shared, "molt.sock"));

        Assert.True(run.ExitCode == 1, run.ToString());
        AssertOneCannotStartLine(run, "it is writable by group or others");
        Assert.False(File.Exists(marker), "molt run ran a load hook before refusing the socket directory");
        Assert.Empty(Lines(run.Output));
    }

    [Fact]
    public async Task VerboseKeepsTheHostsOwnReportOfAFailedStart()
    {
        using var workspace = new TempWorkspace();
        workspace.Write("calc.cs", Sources.Calc("a +"));

        var run = await MoltTool.RunAsync(workspace.RuntimeDirectory, "run", workspace.Modules, "--verbose");

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains("Hosting failed to start", run.Error);
        Assert.Contains("molt: cannot start: the modules could not be loaded", run.Error);
    }

    internal static void AssertOneCannotStartLine(CliResult run, string reason)
    {
        var line = Assert.Single(Lines(run.Error));
        Assert.StartsWith("molt: cannot start: ", line);
        Assert.Contains(reason, line);
    }

    internal static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
