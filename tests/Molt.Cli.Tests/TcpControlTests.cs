using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Molt.Cli.Tests;

/// <summary><c>molt run --tcp ADDRESS --token-file FILE</c> and the client commands' same options, against real processes.</summary>
public sealed class TcpControlTests
{
    private const string Token = "potato-control-port-token-0123456789";

    [Fact]
    public async Task AReloadOverTcpWithTheRightTokenWorks()
    {
        using var workspace = new TempWorkspace();
        var path = workspace.Write("calc.cs", Sources.Calc("a + b"));
        var tokenFile = WriteTokenFile(workspace, "token", Token);
        await using var molt = await MoltRunProcess.StartAsync(workspace, "--no-watch", "--tcp", "0", "--token-file", tokenFile);
        var endPoint = TcpEndPointOf(molt);
        // A runtime directory with no socket in it: the clients can only have come over TCP.
        using var elsewhere = new TempWorkspace();

        File.WriteAllText(path, Sources.Calc("a * b"));
        var reload = await MoltTool.RunAsync(elsewhere.RuntimeDirectory, "reload", "--tcp", endPoint.ToString(), "--token-file", tokenFile, "--json");
        var status = await MoltTool.RunAsync(elsewhere.RuntimeDirectory, "status", "--tcp", endPoint.Port.ToString(CultureInfo.InvariantCulture), "--token-file", tokenFile, "--json");

        Assert.Equal(IPAddress.Loopback, endPoint.Address);
        Assert.True(reload.ExitCode == 0, reload.ToString());
        Assert.True(reload.Json["ok"]!.GetValue<bool>());
        Assert.Equal(2, reload.Json["generation"]!.GetValue<int>());
        Assert.Equal("control", reload.Json["trigger"]!.GetValue<string>());
        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.Equal(molt.Id, status.Json["pid"]!.GetValue<int>());
        await molt.WaitForLineAsync(l => l.Contains("reloaded generation 2", StringComparison.Ordinal) && l.Contains("(control)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AWrongTokenIsRefusedAndReloadsNothing()
    {
        using var workspace = new TempWorkspace();
        var path = workspace.Write("calc.cs", Sources.Calc("a + b"));
        var tokenFile = WriteTokenFile(workspace, "token", Token);
        var wrongFile = WriteTokenFile(workspace, "wrong", "not-the-token-the-process-has-0123");
        await using var molt = await MoltRunProcess.StartAsync(workspace, "--no-watch", "--tcp", "127.0.0.1:0", "--token-file", tokenFile);
        var endPoint = TcpEndPointOf(molt);

        File.WriteAllText(path, Sources.Calc("a * b"));
        var json = await MoltTool.RunAsync(workspace.RuntimeDirectory, "reload", "--tcp", endPoint.ToString(), "--token-file", wrongFile, "--json");
        var human = await MoltTool.RunAsync(workspace.RuntimeDirectory, "reload", "--tcp", endPoint.ToString(), "--token-file", wrongFile);
        var status = await MoltTool.RunAsync(workspace.RuntimeDirectory, "status", "--json");

        Assert.True(json.ExitCode == 2, json.ToString());
        Assert.Equal("unauthorized", json.Json["error"]!["code"]!.GetValue<string>());
        Assert.Equal(2, human.ExitCode);
        Assert.Contains("refused the request (unauthorized)", human.Error);
        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.Equal(1, status.Json["generation"]!.GetValue<int>());
        Assert.DoesNotContain(molt.Lines, l => l.Contains("reloaded", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TcpWithoutATokenFileIsRefusedByRunAndByTheClients()
    {
        using var workspace = new TempWorkspace();
        var marker = Path.Combine(workspace.Root, "loaded.txt");
        workspace.Write("hooked.cs", Sources.LoadHook(marker));

        var run = await MoltTool.RunAsync(workspace.RuntimeDirectory, "run", workspace.Modules, "--tcp", "0");
        var client = await MoltTool.RunAsync(workspace.RuntimeDirectory, "status", "--tcp", "7077");

        Assert.True(run.ExitCode == 1, run.ToString());
        RunStartFailureTests.AssertOneCannotStartLine(run, "--tcp needs --token-file");
        Assert.Empty(RunStartFailureTests.Lines(run.Output));
        Assert.False(File.Exists(marker), "molt run loaded its modules before refusing --tcp");
        Assert.True(client.ExitCode == 2, client.ToString());
        Assert.Contains("--tcp needs --token-file", client.Error);
    }

    [Theory]
    [InlineData(0x1A0, Token, "readable or writable by group or others (mode 640)")]
    [InlineData(0x184, Token, "readable or writable by group or others (mode 604)")]
    [InlineData(0x190, Token, "readable or writable by group or others (mode 620)")]
    [InlineData(0x180, "\n", "is empty")]
    [InlineData(0x180, "too-short", "needs at least 16")]
    [InlineData(-1, "", "does not exist")]
    public async Task ATokenFileThatIsSharedEmptyShortOrMissingIsRefusedBeforeAnyModuleCodeRuns(int mode, string content, string reason)
    {
        using var workspace = new TempWorkspace();
        var marker = Path.Combine(workspace.Root, "loaded.txt");
        workspace.Write("hooked.cs", Sources.LoadHook(marker));
        var tokenFile = mode < 0 ? Path.Combine(workspace.Root, "absent") : WriteTokenFile(workspace, "token", content, (UnixFileMode)mode);

        var run = await MoltTool.RunAsync(workspace.RuntimeDirectory, "run", workspace.Modules, "--tcp", "0", "--token-file", tokenFile);

        Assert.True(run.ExitCode == 1, run.ToString());
        RunStartFailureTests.AssertOneCannotStartLine(run, reason);
        Assert.Contains(tokenFile, run.Error);
        Assert.False(File.Exists(marker), "molt run loaded its modules before refusing the token file");
    }

    [Fact]
    public async Task ATakenTcpPortIsRefusedBeforeAnyModuleCodeRuns()
    {
        using var workspace = new TempWorkspace();
        var marker = Path.Combine(workspace.Root, "loaded.txt");
        workspace.Write("hooked.cs", Sources.LoadHook(marker));
        var tokenFile = WriteTokenFile(workspace, "token", Token);
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;

        var run = await MoltTool.RunAsync(workspace.RuntimeDirectory, "run", workspace.Modules, "--tcp", $"127.0.0.1:{port}", "--token-file", tokenFile);

        Assert.True(run.ExitCode == 1, run.ToString());
        RunStartFailureTests.AssertOneCannotStartLine(run, $"Cannot listen on TCP 127.0.0.1:{port}");
        Assert.False(File.Exists(marker), "molt run loaded its modules before finding its TCP port taken");
    }

    private static string WriteTokenFile(TempWorkspace workspace, string name, string content, UnixFileMode mode = UnixFileMode.UserRead | UnixFileMode.UserWrite)
    {
        var path = Path.Combine(workspace.Root, name);
        File.WriteAllText(path, content);
        File.SetUnixFileMode(path, mode);
        return path;
    }

    /// <summary>Reads <c>tcp ADDRESS:PORT</c> from the ready line.</summary>
    private static IPEndPoint TcpEndPointOf(MoltRunProcess molt)
    {
        const string Marker = ", tcp ";
        var start = molt.ReadyLine.IndexOf(Marker, StringComparison.Ordinal);
        Assert.True(start >= 0, molt.ReadyLine);
        start += Marker.Length;
        return IPEndPoint.Parse(molt.ReadyLine[start..molt.ReadyLine.IndexOf(',', start)]);
    }
}
