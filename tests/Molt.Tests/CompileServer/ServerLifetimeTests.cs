using Molt.Tests.Infrastructure;

namespace Molt.Tests.CompileServer;

/// <summary>No setup step: the engine starts the server on first need, and the server stops once idle.</summary>
public sealed class ServerLifetimeTests
{
    [Fact]
    public async Task TheEngineStartsTheServerAndTheServerStopsWhenIdle()
    {
        using var rig = new ServerRig();
        await using var workspace = new ModuleWorkspace();
        workspace.Write("calc.cs", "public static class Calc { [Export] public static int Value() => 7; }");

        var engine = await workspace.StartAsync(o =>
        {
            rig.Configure(o);
            o.CompileServerIdleTimeout = TimeSpan.FromSeconds(2);
        });

        Assert.Equal(7, engine.GetEntryPoint<Func<int>>("calc", "Value").Current());
        Assert.Equal(1, engine.CompileServerClient!.Answered);
        Assert.True(File.Exists(rig.SocketPath));
        Assert.NotNull(rig.ServerPid);
        var mode = File.GetUnixFileMode(rig.SocketPath);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, mode);

        await engine.DisposeAsync();
        await ServerRig.WaitUntilAsync(() => !File.Exists(rig.PidPath) && !File.Exists(rig.SocketPath), "the idle server to stop");
    }
}
