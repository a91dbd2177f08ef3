namespace Molt.Cli.Tests;

/// <summary>
/// Issue 13, items 3 and 4, against the real <c>molt</c> process: an empty save fails the reload
/// with MOLT007 and changes nothing; every failed reload's line names its own reason.
/// </summary>
public sealed class EmptyAndSummaryTests
{
    public static TheoryData<string, string> Blank => new() { { "empty", "" }, { "white space only", " \n\t\r\n  " } };

    [Theory]
    [MemberData(nameof(Blank))]
    public async Task SavingABlankSourceUnderMoltRunFailsWithMolt007AndTheOldGenerationServes(string what, string content)
    {
        using var workspace = new TempWorkspace();
        var path = workspace.Write("greeter.cs", Sources.Calc("a + b"));
        await using var molt = await MoltRunProcess.StartAsync(workspace);

        File.WriteAllText(path, content);
        var failed = await molt.WaitForLineAsync(l => l.Contains("reload failed", StringComparison.Ordinal));
        Assert.True(failed.Contains("a source file is empty (MOLT007) in greeter; generation 1 keeps serving", StringComparison.Ordinal), $"{what}: {failed}");

        var status = await MoltTool.RunAsync(workspace.RuntimeDirectory, "status", "--json");
        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.Equal(1, status.Json["generation"]!.GetValue<int>());
        var module = Assert.Single(status.Json["modules"]!.AsArray())!;
        Assert.Equal(1, module["generation"]!.GetValue<int>());

        var reload = await MoltTool.RunAsync(workspace.RuntimeDirectory, "reload", "--json");
        Assert.True(reload.ExitCode == 1, reload.ToString());
        Assert.False(reload.Json["ok"]!.GetValue<bool>());
        Assert.Contains(reload.Json["diagnostics"]!.AsArray(), d => d!["id"]!.GetValue<string>() == "MOLT007");
        Assert.DoesNotContain(molt.Lines, l => l.Contains(" reloaded ", StringComparison.Ordinal));

        // The old generation kept serving: the next real save reloads it.
        File.WriteAllText(path, Sources.Calc("a * b"));
        await molt.WaitForLineAsync(l => l.Contains("reloaded generation 2", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CheckOfADirectoryWithAnEmptySourceFailsWithMolt007()
    {
        using var workspace = new TempWorkspace();
        workspace.Write("calc.cs", Sources.Calc("a + b"));
        var empty = workspace.Write("greeter.cs", "");

        var json = await MoltTool.RunAsync(workspace.RuntimeDirectory, "check", workspace.Modules, "--json");
        var human = await MoltTool.RunAsync(workspace.RuntimeDirectory, "check", workspace.Modules);

        Assert.True(json.ExitCode == 1, json.ToString());
        Assert.False(json.Json["ok"]!.GetValue<bool>());
        var error = Assert.Single(json.Json["diagnostics"]!.AsArray(), d => d!["severity"]!.GetValue<string>() == "error")!;
        Assert.Equal("MOLT007", error["id"]!.GetValue<string>());
        Assert.Equal(empty, error["file"]!.GetValue<string>());
        Assert.True(human.ExitCode == 1, human.ToString());
        Assert.Contains("a source file is empty (MOLT007)", human.Output);
    }

    public static TheoryData<string, string> Unreadable => new()
    {
        { "binary", "a source file is binary (MOLT010) in greeter" },
        { "not UTF-8", "a source file is not UTF-8 (MOLT011) in greeter" },
        { "nested too deeply", "brackets are nested too deeply (MOLT018) in greeter" },
    };

    [Theory]
    [MemberData(nameof(Unreadable))]
    public async Task EachFailedReloadLineSaysItsOwnReason(string kind, string summary)
    {
        using var workspace = new TempWorkspace();
        var path = workspace.Write("greeter.cs", Sources.Calc("a + b"));
        await using var molt = await MoltRunProcess.StartAsync(workspace, "--no-watch");

        byte[] bytes = kind switch
        {
            "binary" => [0x7F, (byte)'E', (byte)'L', (byte)'F', 0, 1, 2, 0, 0, 255],
            "not UTF-8" => [.. System.Text.Encoding.Latin1.GetBytes("// caf\u00e9\n"), .. System.Text.Encoding.UTF8.GetBytes(Sources.Calc("a - b"))],
            _ => System.Text.Encoding.UTF8.GetBytes(Sources.Calc(new string('(', 30_000) + "a" + new string(')', 30_000))),
        };
        File.WriteAllBytes(path, bytes);
        var human = await MoltTool.RunAsync(workspace.RuntimeDirectory, "reload");
        var json = await MoltTool.RunAsync(workspace.RuntimeDirectory, "reload", "--json");

        Assert.True(human.ExitCode == 1, human.ToString());
        var line = human.Output.Split('\n').Single(l => l.Contains("reload failed", StringComparison.Ordinal));
        Assert.Contains($"(control): {summary}; generation 1 keeps serving", line);
        Assert.DoesNotContain("dependencies", line);
        Assert.Equal(summary, json.Json["error"]!.GetValue<string>());
    }
}
