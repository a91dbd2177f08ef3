using System.Globalization;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace Molt.Cli.Tests;

public sealed class RunCommandTests
{
    [Fact]
    public async Task Sigusr1AndSighupReload()
    {
        using var workspace = new TempWorkspace();
        var path = workspace.Write("calc.cs", Sources.Calc("a + b"));
        await using var molt = await MoltRunProcess.StartAsync(workspace, "--no-watch");

        File.WriteAllText(path, Sources.Calc("a - b"));
        molt.Signal(Signals.SigUsr1);

        var line = await molt.WaitForLineAsync(l => l.Contains("reloaded generation 2", StringComparison.Ordinal));
        Assert.Contains("(signal)", line);
        Assert.Contains("calc (changed: calc.cs)", line);

        File.WriteAllText(path, Sources.Calc("a - b - 1"));
        molt.Signal(Signals.SigHup);
        var second = await molt.WaitForLineAsync(l => l.Contains("reloaded generation 3", StringComparison.Ordinal));
        Assert.Contains("(signal)", second);
        Assert.False(molt.HasExited);
    }

    [Fact]
    public async Task ReloadJsonReturnsTheResultAndStatusJsonShowsTheNewGeneration()
    {
        using var workspace = new TempWorkspace();
        var path = workspace.Write("calc.cs", Sources.Calc("a + b"));
        await using var molt = await MoltRunProcess.StartAsync(workspace, "--no-watch");

        File.WriteAllText(path, Sources.Calc("a * b"));
        var reload = await MoltTool.RunAsync(workspace.RuntimeDirectory, "reload", "--json");
        var status = await MoltTool.RunAsync(workspace.RuntimeDirectory, "status", "--json", "--pid", molt.Id.ToString(CultureInfo.InvariantCulture));

        Assert.True(reload.ExitCode == 0, reload.ToString());
        var result = reload.Json;
        Assert.True(result["ok"]!.GetValue<bool>());
        Assert.Equal(2, result["generation"]!.GetValue<int>());
        Assert.True(result["durationMs"]!.GetValue<double>() > 0);
        Assert.Empty(result["diagnostics"]!.AsArray());
        var change = Assert.Single(result["changed"]!.AsArray())!;
        Assert.Equal("calc", change["module"]!.GetValue<string>());
        Assert.Equal(path, change["files"]![0]!.GetValue<string>());

        Assert.True(status.ExitCode == 0, status.ToString());
        var manifest = status.Json;
        Assert.Equal(molt.Id, manifest["pid"]!.GetValue<int>());
        Assert.Equal(2, manifest["generation"]!.GetValue<int>());
        var module = Assert.Single(manifest["modules"]!.AsArray())!;
        Assert.Equal("calc", module["name"]!.GetValue<string>());
        Assert.Equal(2, module["generation"]!.GetValue<int>());
        Assert.Equal(64, module["hash"]!.GetValue<string>().Length);
        Assert.Equal(path, module["files"]![0]!.GetValue<string>());
        Assert.True(manifest["lastReload"]!["ok"]!.GetValue<bool>());
        Assert.Equal("control", manifest["lastReload"]!["trigger"]!.GetValue<string>());
        Assert.NotNull(manifest["retiredAlive"]!.AsArray());

        var table = await MoltTool.RunAsync(workspace.RuntimeDirectory, "status");
        Assert.True(table.ExitCode == 0, table.ToString());
        Assert.Contains("calc", table.Output);
        Assert.Contains($"Molt process {molt.Id}, generation 2", table.Output);
    }

    [Fact]
    public async Task ABrokenEditMakesReloadExitOneWithFileAndLineWhileTheProcessKeepsServing()
    {
        using var workspace = new TempWorkspace();
        var path = workspace.Write("calc.cs", Sources.Calc("a + b"));
        await using var molt = await MoltRunProcess.StartAsync(workspace, "--no-watch");

        File.WriteAllText(path, Sources.Calc("a + "));
        var json = await MoltTool.RunAsync(workspace.RuntimeDirectory, "reload", "--json");
        var human = await MoltTool.RunAsync(workspace.RuntimeDirectory, "reload");

        Assert.True(json.ExitCode == 1, json.ToString());
        Assert.False(json.Json["ok"]!.GetValue<bool>());
        Assert.Equal(1, json.Json["generation"]!.GetValue<int>());
        var error = json.Json["diagnostics"]!.AsArray().First(d => d!["severity"]!.GetValue<string>() == "error")!;
        Assert.Equal(path, error["file"]!.GetValue<string>());
        Assert.Equal(3, error["line"]!.GetValue<int>());
        Assert.True(error["column"]!.GetValue<int>() > 0);
        Assert.StartsWith("CS", error["id"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(error["message"]!.GetValue<string>()));

        Assert.True(human.ExitCode == 1, human.ToString());
        Assert.Contains($"{path}:3:", human.Output);
        Assert.Contains("reload failed", human.Output);
        Assert.Contains("    3 | ", human.Output);

        // Still serving: the next good edit reloads.
        File.WriteAllText(path, Sources.Calc("a + b + 1"));
        var fixedUp = await MoltTool.RunAsync(workspace.RuntimeDirectory, "reload", "--json");
        Assert.True(fixedUp.ExitCode == 0, fixedUp.ToString());
        Assert.Equal(2, fixedUp.Json["generation"]!.GetValue<int>());
        Assert.False(molt.HasExited);
    }

    [Fact]
    public async Task AThousandSignalsInABurstLeaveTheProcessAliveAndReloaded()
    {
        using var workspace = new TempWorkspace();
        var path = workspace.Write("calc.cs", Sources.Calc("a + b"));
        await using var molt = await MoltRunProcess.StartAsync(workspace, "--no-watch");

        File.WriteAllText(path, Sources.Calc("a * b"));
        for (var i = 0; i < 1000; i++)
        {
            molt.Signal(Signals.SigUsr1);
        }

        await molt.WaitForLineAsync(l => l.Contains("reloaded generation 2", StringComparison.Ordinal));
        var status = await MoltTool.RunAsync(workspace.RuntimeDirectory, "status", "--json");

        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.Equal(2, status.Json["generation"]!.GetValue<int>());
        Assert.False(molt.HasExited);
        Assert.Single(molt.Lines, l => l.Contains(" reloaded ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task MalformedSocketRequestsGetErrorReplies()
    {
        using var workspace = new TempWorkspace();
        workspace.Write("calc.cs", Sources.Calc("a + b"));
        await using var molt = await MoltRunProcess.StartAsync(workspace, "--no-watch");
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(molt.SocketPath));
        await using var stream = new NetworkStream(socket);
        using var reader = new StreamReader(stream, Encoding.UTF8);

        async Task<JsonObject> SendAsync(string line)
        {
            await stream.WriteAsync(Encoding.UTF8.GetBytes(line + "\n"));
            var reply = await reader.ReadLineAsync().WaitAsync(TestTimeouts.Process);
            return JsonNode.Parse(reply!)!.AsObject();
        }

        var notJson = await SendAsync("this is not json");
        var notARequest = await SendAsync("[1, 2, 3]");
        var unknown = await SendAsync("""{"id": 5, "command": "explode"}""");
        var status = await SendAsync("""{"id": 6, "command": "status"}""");

        Assert.Equal("parse_error", notJson["error"]!["code"]!.GetValue<string>());
        Assert.Equal("invalid_request", notARequest["error"]!["code"]!.GetValue<string>());
        Assert.Equal("unknown_command", unknown["error"]!["code"]!.GetValue<string>());
        Assert.Equal(5, unknown["id"]!.GetValue<int>());
        Assert.True(status["ok"]!.GetValue<bool>());
        Assert.Equal(molt.Id, status["result"]!["pid"]!.GetValue<int>());
    }

    [Fact]
    public async Task SigtermStopsGracefullyWithExitCodeZeroAfterUnloadHooks()
    {
        using var workspace = new TempWorkspace();
        var marker = Path.Combine(workspace.Root, "unloaded.txt");
        workspace.Write("hooked.cs", $$"""
            public sealed class Hooked : IModule
            {
                public ValueTask OnUnloadAsync(IModuleContext context)
                {
                    File.WriteAllText(@"{{marker}}", "unloaded");
                    return ValueTask.CompletedTask;
                }
            }
            """);
        await using var molt = await MoltRunProcess.StartAsync(workspace);

        molt.Signal(Signals.SigTerm);
        var exitCode = await molt.WaitForExitAsync();

        Assert.True(exitCode == 0, molt.Transcript);
        Assert.Equal("unloaded", File.ReadAllText(marker));
        Assert.Contains("molt: stopped", molt.Lines);
        Assert.False(File.Exists(molt.SocketPath));
    }

    [Fact]
    public async Task ARestartOnUnchangedSourcesLoadsTheCompiledModulesFromTheCache()
    {
        using var workspace = new TempWorkspace();
        var path = workspace.Write("calc.cs", Sources.Calc("a + b"));
        var cache = Path.Combine(workspace.RuntimeDirectory, "cache", "molt", "compiled");

        await using (var first = await MoltRunProcess.StartAsync(workspace))
        {
            var loaded = first.Lines.Where(l => l.Contains("loaded generation 1", StringComparison.Ordinal)).ToArray();
            Assert.True(loaded.Length == 1, first.Transcript);
            Assert.DoesNotContain("[cached]", loaded[0]);
            first.Signal(Signals.SigTerm);
            Assert.Equal(0, await first.WaitForExitAsync());
        }

        Assert.Single(Directory.GetFiles(cache, "*.molt"));

        await using var second = await MoltRunProcess.StartAsync(workspace, "--no-watch");
        Assert.Contains(second.Lines, l => l.Contains("loaded generation 1", StringComparison.Ordinal) && l.Contains("calc (added: calc.cs) [cached]", StringComparison.Ordinal));

        // An edit is compiled, and the answer is the new code's.
        File.WriteAllText(path, Sources.Calc("a * b"));
        var reload = await MoltTool.RunAsync(workspace.RuntimeDirectory, "reload", "--pid", second.Id.ToString(CultureInfo.InvariantCulture), "--json");
        Assert.True(reload.ExitCode == 0, reload.ToString());
        var change = Assert.Single(reload.Json["changed"]!.AsArray())!;
        Assert.False(change["cached"]!.GetValue<bool>());
        Assert.Equal(2, Directory.GetFiles(cache, "*.molt").Length);
    }

    [Fact]
    public async Task ACacheInsideTheModuleDirectoryIsAClearErrorNotACrash()
    {
        using var workspace = new TempWorkspace();
        workspace.Write("calc.cs", Sources.Calc("a + b"));

        var run = await MoltTool.RunAsync(workspace.RuntimeDirectory, "run", workspace.Modules, "--cache", Path.Combine(workspace.Modules, "cache"));

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains("molt: cannot start: The compilation cache", run.Error);
        Assert.DoesNotContain("   at ", run.Error);
    }

    [Fact]
    public async Task RunWithNoCacheWritesNothing()
    {
        using var workspace = new TempWorkspace();
        workspace.Write("calc.cs", Sources.Calc("a + b"));
        await using var molt = await MoltRunProcess.StartAsync(workspace, "--no-cache");
        molt.Signal(Signals.SigTerm);
        Assert.Equal(0, await molt.WaitForExitAsync());
        Assert.False(Directory.Exists(Path.Combine(workspace.RuntimeDirectory, "cache", "molt")));
    }

    [Fact]
    public async Task ReloadWithNoRunningProcessExitsTwo()
    {
        using var workspace = new TempWorkspace();

        var json = await MoltTool.RunAsync(workspace.RuntimeDirectory, "reload", "--json");
        var bySocket = await MoltTool.RunAsync(workspace.RuntimeDirectory, "reload", "--socket", Path.Combine(workspace.Root, "nobody.sock"));

        Assert.True(json.ExitCode == 2, json.ToString());
        Assert.False(json.Json["ok"]!.GetValue<bool>());
        Assert.Equal("unreachable", json.Json["error"]!["code"]!.GetValue<string>());
        Assert.Equal(2, bySocket.ExitCode);
        Assert.Contains("No Molt process is listening", bySocket.Error);
    }
}
