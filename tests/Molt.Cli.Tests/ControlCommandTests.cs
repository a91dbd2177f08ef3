using System.Diagnostics;

namespace Molt.Cli.Tests;

public sealed class ControlCommandTests
{
    [Fact]
    public async Task SnapshotWritesTheFileGivenToRunAndIsRefusedWithoutOne()
    {
        using var workspace = new TempWorkspace();
        workspace.Write("calc.cs", Sources.Calc("a + b"));
        var snapshot = Path.Combine(workspace.Root, "state.json");
        await using var molt = await MoltRunProcess.StartAsync(workspace, "--no-watch", "--snapshot", snapshot);

        var saved = await MoltTool.RunAsync(workspace.RuntimeDirectory, "snapshot", "--json");

        Assert.True(saved.ExitCode == 0, saved.ToString());
        Assert.Equal(snapshot, saved.Json["path"]!.GetValue<string>());
        Assert.True(File.Exists(snapshot));

        using var other = new TempWorkspace();
        other.Write("calc.cs", Sources.Calc("a + b"));
        await using var plain = await MoltRunProcess.StartAsync(other, "--no-watch");
        var refused = await MoltTool.RunAsync(other.RuntimeDirectory, "snapshot", "--json");
        Assert.Equal(1, refused.ExitCode);
        Assert.Equal("not_configured", refused.Json["error"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task VerifyReportsRetiredGenerationsAndStopEndsTheProcess()
    {
        using var workspace = new TempWorkspace();
        var path = workspace.Write("calc.cs", Sources.Calc("a + b"));
        await using var molt = await MoltRunProcess.StartAsync(workspace, "--no-watch");
        File.WriteAllText(path, Sources.Calc("a - b"));
        var reload = await MoltTool.RunAsync(workspace.RuntimeDirectory, "reload", "--json");
        Assert.True(reload.ExitCode == 0, reload.ToString());

        var verify = await MoltTool.RunAsync(workspace.RuntimeDirectory, "verify", "--json");
        var stop = await MoltTool.RunAsync(workspace.RuntimeDirectory, "stop");
        var exitCode = await molt.WaitForExitAsync();

        Assert.True(verify.ExitCode == 0, verify.ToString());
        Assert.True(verify.Json["ok"]!.GetValue<bool>());
        Assert.DoesNotContain(verify.Json["retiredAlive"]!.AsArray(), r => r!["status"]!.GetValue<string>() == "leaked");
        Assert.True(stop.ExitCode == 0, stop.ToString());
        Assert.Equal(0, exitCode);
    }

    [Fact]
    public async Task AReloadThatFindsNothingChangedSaysSinceWhichGenerationAndWhatAppliedIt()
    {
        using var workspace = new TempWorkspace();
        var path = workspace.Write("calc.cs", Sources.Calc("a + b"));
        await using var molt = await MoltRunProcess.StartAsync(workspace, "--no-watch");
        File.WriteAllText(path, Sources.Calc("a - b"));
        var applied = await MoltTool.RunAsync(workspace.RuntimeDirectory, "reload", "--json");
        Assert.True(applied.ExitCode == 0, applied.ToString());

        var again = await MoltTool.RunAsync(workspace.RuntimeDirectory, "reload");
        var json = await MoltTool.RunAsync(workspace.RuntimeDirectory, "reload", "--json");

        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Matches(@"reloaded generation 2 in [\d.]+ ms \(control\): nothing changed since generation 2 \(applied [\d.]+ (ms|s) ago by control\)", again.Output);
        Assert.Equal(2, json.Json["unchangedSince"]!["generation"]!.GetValue<int>());
        Assert.Equal("control", json.Json["unchangedSince"]!["trigger"]!.GetValue<string>());
        Assert.Null(applied.Json["unchangedSince"]);
    }

    [RootFact]
    public async Task AnotherUserCannotUseTheControlSocket()
    {
        using var workspace = new TempWorkspace();
        workspace.Write("calc.cs", Sources.Calc("a + b"));
        // Let the other user reach the socket's directory, so that only the socket's own checks stand in the way.
        File.SetUnixFileMode(workspace.Root, (UnixFileMode)0x1ED);
        await using var molt = await MoltRunProcess.StartAsync(workspace, "--no-watch", "--socket", Path.Combine(workspace.Root, "sockets", "molt.sock"));
        File.SetUnixFileMode(Path.Combine(workspace.Root, "sockets"), (UnixFileMode)0x1C9);
        await RunAsync("/bin/sh", "-c", "id -u molt-test-peer >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin molt-test-peer");

        var (exitCode, output) = await RunAsync("/usr/bin/setpriv", "--reuid", "molt-test-peer", "--regid", "molt-test-peer", "--clear-groups",
            "/usr/bin/python3", "-c", """
                import socket, sys
                s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                s.settimeout(20)
                try:
                    s.connect(sys.argv[1])
                    s.sendall(b'{"command":"reload"}\n')
                    print(s.recv(4096).decode())
                except PermissionError:
                    print("PermissionError")
                """, molt.SocketPath);

        Assert.True(exitCode == 0, output);
        Assert.True(output.Contains("PermissionError", StringComparison.Ordinal) || output.Contains("forbidden", StringComparison.Ordinal), output);
        Assert.DoesNotContain(molt.Lines, l => l.Contains("reloaded", StringComparison.Ordinal) || l.Contains("failed", StringComparison.Ordinal));
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string file, params string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TestTimeouts.Process);
        return (process.ExitCode, await output + await error);
    }
}
