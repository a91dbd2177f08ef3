using System.Diagnostics;
using Molt.Tests.Infrastructure;

namespace Molt.Tests.CompileServer;

/// <summary>
/// The compile server's timeout bounds silence, not work: a server still compiling past the
/// timeout (a large module, a loaded machine) sends heartbeats and is waited for, while a server
/// that stops working (here: stopped with SIGSTOP after it accepted the request) is given up.
/// </summary>
public sealed class ServerHeartbeatTests
{
    private const string Calc = "public static class Calc { [Export] public static int Value() => 40 + 2; }";

    [Fact]
    public async Task AServerWorkingLongerThanTheTimeoutIsWaitedFor()
    {
        using var rig = new ServerRig();
        await rig.StartServerAsync("busy"); // works 3 s on each request before compiling it
        await using var workspace = new ModuleWorkspace();
        workspace.Write("calc.cs", Calc);

        var watch = Stopwatch.StartNew();
        var engine = await workspace.StartAsync(o => rig.Configure(o, TimeSpan.FromSeconds(1)));

        Assert.Equal(42, engine.GetEntryPoint<Func<int>>("calc", "Value").Current());
        Assert.True(watch.Elapsed >= TimeSpan.FromSeconds(3), $"the start took {watch.Elapsed}: the busy server cannot have answered");
        Assert.Null(engine.CompileServerClient!.Disabled);
        Assert.Equal(1, engine.CompileServerClient.Answered);
        Assert.Equal(0, engine.CompileServerClient.FellBack);
    }

    [Fact]
    public async Task AStoppedServerIsGivenUpAfterTheTimeout()
    {
        using var rig = new ServerRig();
        var server = await rig.StartServerAsync("busy");
        await using var workspace = new ModuleWorkspace();
        workspace.Write("calc.cs", Calc);

        // Stopped while it works on the request: the socket still accepts and takes the request
        // (the kernel does that), but no heartbeat and no answer come.
        var start = workspace.StartAsync(o => rig.Configure(o, TimeSpan.FromSeconds(1)));
        await ServerRig.WaitUntilAsync(() => server.TotalProcessorTime > TimeSpan.FromMilliseconds(600), "the server to work on the request");
        Signal("STOP", server.Id);
        try
        {
            var engine = await start.WaitAsync(TestTimeouts.Reload);

            Assert.Equal(42, engine.GetEntryPoint<Func<int>>("calc", "Value").Current());
            Assert.Contains("no answer within", engine.CompileServerClient!.Disabled);
            Assert.Equal(0, engine.CompileServerClient.Answered);
        }
        finally
        {
            Signal("CONT", server.Id);
        }
    }

    private static void Signal(string signal, int pid)
    {
        using var kill = Process.Start("kill", $"-{signal} {pid}");
        kill.WaitForExit();
    }
}
