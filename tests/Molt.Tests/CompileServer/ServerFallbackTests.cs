using System.Diagnostics;
using System.Net.Sockets;
using Molt.Tests.Infrastructure;

namespace Molt.Tests.CompileServer;

/// <summary>
/// A server that hangs, crashes mid-request, is killed mid-request, speaks garbage or sits in an
/// unsafe directory never fails a reload: the compile happens in-process and the result is the
/// in-process one.
/// </summary>
public sealed class ServerFallbackTests
{
    private const string Calc = "public static class Calc { [Export] public static int Value() => 40 + 2; }";

    [Fact]
    public async Task AServerThatHangsIsWaitedForBoundedlyThenNotAskedAgain()
    {
        using var rig = new ServerRig();
        await rig.StartServerAsync("stall");
        await using var workspace = new ModuleWorkspace();
        workspace.Write("calc.cs", Calc);

        var watch = Stopwatch.StartNew();
        var engine = await workspace.StartAsync(o => rig.Configure(o, TimeSpan.FromSeconds(2)));

        Assert.Equal(42, engine.GetEntryPoint<Func<int>>("calc", "Value").Current());
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), $"start took {watch.Elapsed}");
        Assert.Contains("no answer within", engine.CompileServerClient!.Disabled);

        // Disabled: the next edit compiles in-process at once.
        workspace.Write("calc.cs", Calc.Replace("40 + 2", "41 + 2"));
        var result = await engine.ReloadAsync().WaitAsync(TestTimeouts.Reload);
        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(43, engine.GetEntryPoint<Func<int>>("calc", "Value").Current());
        Assert.Equal(0, engine.CompileServerClient.Answered);
        Assert.Equal(4, engine.CompileServerClient.FellBack); // each reload: the scan and the compile
    }

    [Fact]
    public async Task AServerKilledMidRequestFallsBackAtOnce()
    {
        using var rig = new ServerRig();
        var server = await rig.StartServerAsync("stall");
        await using var workspace = new ModuleWorkspace();
        workspace.Write("calc.cs", Calc);

        var start = workspace.StartAsync(o => rig.Configure(o, TimeSpan.FromSeconds(60)));
        await ServerRig.WaitUntilAsync(() => File.Exists(Path.ChangeExtension(rig.SocketPath, ".stalled")), "the request to reach the server");
        var watch = Stopwatch.StartNew();
        server.Kill();
        var engine = await start.WaitAsync(TestTimeouts.Reload);

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), $"the fallback took {watch.Elapsed}");
        Assert.Equal(42, engine.GetEntryPoint<Func<int>>("calc", "Value").Current());
        Assert.Null(engine.CompileServerClient!.Disabled);
        Assert.Equal(1, engine.CompileServerClient.FellBack);
    }

    [Fact]
    public async Task AServerThatCrashesMidRequestIsReplacedByANewOne()
    {
        using var rig = new ServerRig();
        await rig.StartServerAsync("exit");
        await using var workspace = new ModuleWorkspace();
        workspace.Write("calc.cs", Calc);
        var engine = await workspace.StartAsync(o => rig.Configure(o));
        Assert.Equal(42, engine.GetEntryPoint<Func<int>>("calc", "Value").Current());

        // The start's first request (the scan) crashed the server and was done in-process; nothing
        // listened then, so the engine started a server of its own, which answered the compile.
        Assert.Equal(1, engine.CompileServerClient!.FellBack);
        Assert.Contains("went away", engine.CompileServerClient.LastFallback);
        Assert.Equal(1, engine.CompileServerClient.Answered);

        workspace.Write("calc.cs", Calc.Replace("40 + 2", "41 + 2"));
        var result = await engine.ReloadAsync().WaitAsync(TestTimeouts.Reload);

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(43, engine.GetEntryPoint<Func<int>>("calc", "Value").Current());
        Assert.Equal(2, engine.CompileServerClient.Answered);
        Assert.Equal(1, engine.CompileServerClient.Scanned);
        Assert.Equal(1, engine.CompileServerClient.FellBack);
    }

    [Fact]
    public async Task AServerThatStopsAcceptingIsGivenUpAfterTheTimeout()
    {
        using var rig = new ServerRig();
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(rig.SocketPath));
        listener.Listen(0); // never accepts: one connection fills the queue, the next connect blocks
        using var queued = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        queued.Connect(new UnixDomainSocketEndPoint(rig.SocketPath));
        await using var workspace = new ModuleWorkspace();
        workspace.Write("calc.cs", Calc);

        var watch = Stopwatch.StartNew();
        var engine = await workspace.StartAsync(o => rig.Configure(o, TimeSpan.FromSeconds(1)));

        Assert.Equal(42, engine.GetEntryPoint<Func<int>>("calc", "Value").Current());
        Assert.Contains("no answer within", engine.CompileServerClient!.Disabled);
        Assert.Equal(0, engine.CompileServerClient.Answered);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), $"the start took {watch.Elapsed}");
    }

    [Fact]
    public async Task AGarbageServerOnTheSocketIsNotBelieved()
    {
        using var rig = new ServerRig();
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(rig.SocketPath));
        listener.Listen(8);
        _ = Task.Run(async () =>
        {
            while (true)
            {
                using var connection = await listener.AcceptAsync();
                try
                {
                    // After the request has begun to arrive, and open until the client leaves: a close
                    // while the client still writes would read as a crash, not as garbage.
                    var request = new byte[4096];
                    if (await connection.ReceiveAsync(request) > 0)
                    {
                        await connection.SendAsync("HTTP/1.1 400 Bad Request\r\n\r\nnot a compile server"u8.ToArray());
                        while (await connection.ReceiveAsync(request) > 0)
                        {
                        }
                    }
                }
                catch (SocketException)
                {
                    // The engine's warm-up only connects and leaves.
                }
            }
        });
        await using var workspace = new ModuleWorkspace();
        workspace.Write("calc.cs", Calc);

        var engine = await workspace.StartAsync(o => rig.Configure(o));

        Assert.Equal(42, engine.GetEntryPoint<Func<int>>("calc", "Value").Current());
        Assert.Contains("Malformed", engine.CompileServerClient!.Disabled);
        Assert.Equal(0, engine.CompileServerClient.Answered);
    }

    [Fact]
    public async Task ASocketDirectoryOthersCanWriteToIsRefused()
    {
        using var rig = new ServerRig();
        File.SetUnixFileMode(rig.Directory.FullName, (UnixFileMode)0x1FF); // 0777
        await using var workspace = new ModuleWorkspace();
        workspace.Write("calc.cs", Calc);

        var engine = await workspace.StartAsync(o => rig.Configure(o));

        Assert.Equal(42, engine.GetEntryPoint<Func<int>>("calc", "Value").Current());
        Assert.Contains("writable by group or others", engine.CompileServerClient!.Disabled);
        Assert.False(File.Exists(rig.SocketPath));
    }

    [Fact]
    public async Task WithoutTheServerProgramCompilesStayInProcess()
    {
        await using var workspace = new ModuleWorkspace();
        workspace.Write("calc.cs", Calc);

        var engine = await workspace.StartAsync(o =>
        {
            o.CompileServer = CompileServerMode.Auto;
            o.CompileServerPath = Path.Combine(workspace.Root, "..", "no-such-server.dll");
        });

        Assert.Equal(42, engine.GetEntryPoint<Func<int>>("calc", "Value").Current());
        Assert.Null(engine.CompileServerClient);
    }
}
