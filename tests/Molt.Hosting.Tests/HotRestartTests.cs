using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Molt.Control;

namespace Molt.Hosting.Tests;

/// <summary>Hot restart inside one process; restarts of real processes are in Molt.AspNetCore.Tests (HotRestartTests).</summary>
public sealed class HotRestartTests
{
    [Fact]
    public async Task RestartIsNotConfiguredWithoutAddMoltHotRestart()
    {
        await using var workspace = new HostedWorkspace();
        workspace.Write("calc.cs", Modules.Calc("a + b"));
        var socket = Path.Combine(workspace.Root + "-run", "molt.sock");
        await workspace.StartAsync(o =>
        {
            o.WatchFiles = false;
            o.EnableControlChannel = true;
            o.Control.SocketPath = socket;
        });
        var client = new ControlClient(new ControlClientOptions { SocketPath = socket, Timeout = TestTimeouts.Reload });

        var reply = await client.SendAsync(new ControlRequest(ControlCommands.Restart));

        Assert.False(reply.Ok);
        Assert.Equal("not_configured", reply.Error!.Code);
    }

    [Fact]
    public async Task TheControlChannelsListenerNamesAreReservedAndItsFixedSocketIsKeptForTheNextRestart()
    {
        await using var workspace = new HostedWorkspace();
        workspace.Write("calc.cs", Modules.Calc("a + b"));
        var socket = Path.Combine(workspace.Root + "-run", "molt.sock");
        await workspace.StartAsync(
            o =>
            {
                o.WatchFiles = false;
                o.EnableControlChannel = true;
                o.Control.SocketPath = socket;
            },
            services => services.AddMoltHotRestart());
        var listeners = workspace.Services.GetRequiredService<HotRestart.HotRestartListeners>();

        var error = Assert.Throws<ArgumentException>(() => listeners.GetListener("molt:control", new IPEndPoint(IPAddress.Loopback, 0)));

        Assert.Contains("Molt's own", error.Message, StringComparison.Ordinal);
        // A fixed control socket is among what a restart passes on (real restarts: Molt.AspNetCore.Tests, FixedControlAddressTests).
        Assert.Equal(["molt:control"], listeners.All().Select(l => l.Key));
    }

    [Fact]
    public async Task AListenerIsBoundOnceAndEveryCallerGetsACopyItMayClose()
    {
        await using var workspace = new HostedWorkspace();
        workspace.Write("calc.cs", Modules.Calc("a + b"));
        await workspace.StartAsync(o => o.WatchFiles = false, services => services.AddMoltHotRestart());
        var listeners = workspace.Services.GetRequiredService<IHotRestartListeners>();

        var first = listeners.GetListener("http", new IPEndPoint(IPAddress.Loopback, 0));
        var port = ((IPEndPoint)first.LocalEndPoint!).Port;
        using var second = listeners.GetListener("http", new IPEndPoint(IPAddress.Loopback, 0));
        first.Dispose();

        Assert.False(listeners.IsHandover);
        Assert.Equal(port, ((IPEndPoint)second.LocalEndPoint!).Port);
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(IPAddress.Loopback, port).WaitAsync(TestTimeouts.Reload);
        using var accepted = await second.AcceptAsync().WaitAsync(TestTimeouts.Reload);
        Assert.True(accepted.Connected);
    }

    [Fact]
    public void AReadyTimeoutThatIsNotPositiveStopsTheHostAtStart()
    {
        var options = new HotRestartOptions { ReadyTimeout = TimeSpan.Zero };

        var error = Assert.Throws<InvalidOperationException>(options.Validate);

        Assert.Contains("ReadyTimeout", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ANegativeDrainTimeoutStopsTheHostAtStart()
    {
        var options = new HotRestartOptions { DrainTimeout = TimeSpan.FromSeconds(-1) };

        var error = Assert.Throws<InvalidOperationException>(options.Validate);

        Assert.Contains("DrainTimeout", error.Message, StringComparison.Ordinal);
        new HotRestartOptions { DrainTimeout = Timeout.InfiniteTimeSpan }.Validate();
    }
}
