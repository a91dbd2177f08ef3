using Molt.Cli.Commands;
using Molt.Cli.Output;

namespace Molt.Cli.Tests;

public sealed class CheckCommandTests
{
    [Fact]
    public async Task CheckExitsZeroWhenEveryModuleCompilesAndRunsNothing()
    {
        using var workspace = new TempWorkspace();
        var marker = Path.Combine(workspace.Root, "loaded.txt");
        workspace.Write("calc.cs", Sources.Calc("a + b"));
        workspace.Write("hooked.cs", $$"""
            public sealed class Hooked : IModule
            {
                public ValueTask OnLoadAsync(IModuleContext context)
                {
                    File.WriteAllText(@"{{marker}}", "ran");
                    return ValueTask.CompletedTask;
                }
            }
            """);

        var (exitCode, output) = await InvokeAsync("check", workspace.Modules, "--json");

        Assert.Equal(0, exitCode);
        var document = System.Text.Json.Nodes.JsonNode.Parse(output)!;
        Assert.True(document["ok"]!.GetValue<bool>());
        Assert.DoesNotContain(document["diagnostics"]!.AsArray(), d => d!["severity"]!.GetValue<string>() == "error");
        Assert.Equal(["calc", "hooked"], document["modules"]!.AsArray().Select(m => m!.GetValue<string>()).Order());
        Assert.False(File.Exists(marker), "check ran a load hook");
    }

    [Fact]
    public async Task CheckExitsOneAndPrintsEachDiagnosticWithFileLineAndExcerpt()
    {
        using var workspace = new TempWorkspace();
        workspace.Write("calc.cs", Sources.Calc("a + b"));
        var broken = workspace.Write("broken.cs", "public static class Broken\n{\n    public static int F() => undefinedName;\n}\n");

        var (jsonExit, json) = await InvokeAsync("check", workspace.Modules, "--json");
        var (humanExit, human) = await InvokeAsync("check", workspace.Modules);

        Assert.Equal(1, jsonExit);
        var document = System.Text.Json.Nodes.JsonNode.Parse(json)!;
        Assert.False(document["ok"]!.GetValue<bool>());
        var error = Assert.Single(document["diagnostics"]!.AsArray(), d => d!["severity"]!.GetValue<string>() == "error")!;
        Assert.Equal(broken, error["file"]!.GetValue<string>());
        Assert.Equal(3, error["line"]!.GetValue<int>());
        Assert.Equal("CS0103", error["id"]!.GetValue<string>());

        Assert.Equal(1, humanExit);
        Assert.Contains($"{broken}:3:", human);
        Assert.Contains("    3 |     public static int F() => undefinedName;", human);
        Assert.Contains("^", human);
        Assert.Contains("check failed", human);
    }

    [Fact]
    public async Task TheRealToolsCheckCompilesAgainstWhatItsRunDoesTheFrameworkMoltAndTheToolsOwnDependencies()
    {
        using var workspace = new TempWorkspace();
        workspace.Write("probe.cs", """
            public static class Probe
            {
                [Export] public static string Names() => typeof(Microsoft.Extensions.Hosting.IHost).Name + typeof(Molt.Hosting.MoltHostStatus).Name + typeof(Molt.Control.ControlClient).Name;
            }
            """);

        var check = await MoltTool.RunAsync(workspace.RuntimeDirectory, "check", workspace.Modules, "--json");
        await using var run = await MoltRunProcess.StartAsync(workspace, "--no-watch");

        // Both are the same process image with the same references (ModuleArguments and the process's assemblies): run loaded it, check compiles it.
        Assert.True(check.ExitCode == 0, check.ToString());
        Assert.Equal(["probe"], check.Json["modules"]!.AsArray().Select(m => m!.GetValue<string>()));
    }

    [Fact]
    public async Task CheckOfAMissingDirectoryFails()
    {
        var (exitCode, output) = await InvokeAsync("check", Path.Combine(Path.GetTempPath(), "molt-no-such-" + Guid.NewGuid().ToString("N")), "--json");

        Assert.Equal(1, exitCode);
        Assert.Contains("MOLT001", output);
    }

    private static async Task<(int ExitCode, string Output)> InvokeAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exitCode = await MoltCommandLine.InvokeAsync(args, CliOutput.ForWriters(stdout, stderr)).WaitAsync(TestTimeouts.Process);
        return (exitCode, stdout.ToString());
    }
}
