using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Molt.Control;

namespace Molt.Hosting.Tests;

public sealed class HostStatusTests
{
    private const string Token = "a-token-of-at-least-sixteen-characters";

    [Fact]
    public async Task TheStatusSaysWhatRunsOnceStartedAndForgetsTheSocketAtStop()
    {
        await using var workspace = new HostedWorkspace();
        workspace.Write("calc.cs", Modules.Calc("a + b"));
        var socket = Path.Combine(workspace.Root + "-run", "molt.sock");
        await workspace.StartAsync(o =>
        {
            o.Polling = PollingMode.Always;
            o.EnableControlChannel = true;
            o.Control.SocketPath = socket;
        });
        var status = workspace.Services.GetRequiredService<MoltHostStatus>();

        Assert.True(status.StartResult is { Succeeded: true, Generation: 1, Trigger: "start" });
        Assert.Equal(socket, status.ControlSocketPath);
        Assert.Null(status.ControlTcpEndPoint);
        Assert.True(status.IsWatching);
        Assert.True(status.IsPolling);

        await workspace.StopAsync();
        Assert.Null(status.ControlSocketPath);
        Assert.False(File.Exists(socket));
    }

    [Fact]
    public async Task WithTcpOnTheChannelAnswersTheTokenOnALoopbackPort()
    {
        await using var workspace = new HostedWorkspace();
        workspace.Write("calc.cs", Modules.Calc("a + b"));
        await workspace.StartAsync(o =>
        {
            o.EnableControlChannel = true;
            o.Control.SocketPath = Path.Combine(workspace.Root + "-run", "molt.sock");
            o.Control.EnableTcp = true;
            o.Control.TcpToken = Token;
        });
        var endPoint = workspace.Services.GetRequiredService<MoltHostStatus>().ControlTcpEndPoint;

        Assert.NotNull(endPoint);
        Assert.Equal(IPAddress.Loopback, endPoint.Address);
        var client = new ControlClient(new ControlClientOptions { TcpEndPoint = endPoint, Token = Token, Timeout = TestTimeouts.Reload });
        var reply = await client.SendAsync(new ControlRequest(ControlCommands.Status));
        Assert.True(reply.Ok, reply.Error?.Message);
        Assert.Equal(Environment.ProcessId, reply.Result!["pid"]!.GetValue<int>());
    }

    [Fact]
    public void TcpWithoutATokenIsRefusedBeforeTheEngineIsCreated()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddMolt(o =>
        {
            o.Engine.ModuleDirectories.Add(Path.GetTempPath());
            o.Control.EnableTcp = true;
        });
        using var host = builder.Build();

        var error = Assert.Throws<InvalidOperationException>(() => host.Services.GetRequiredService<MoltEngine>());

        Assert.Contains("TcpToken", error.Message);
    }

    [Fact]
    public async Task AFailureIsSupersededOnlyByFileEventsAfterItStarted()
    {
        await using var workspace = new HostedWorkspace();
        var path = workspace.Write("calc.cs", Modules.Calc("a + b"));
        await workspace.StartAsync();
        var status = workspace.Services.GetRequiredService<MoltHostStatus>();

        File.WriteAllText(path, Modules.Calc("a +"));
        var failed = await workspace.Log.WaitAsync(r => !r.Succeeded);
        var byApi = await workspace.Engine.ReloadAsync("api").WaitAsync(TestTimeouts.Reload);
        Assert.False(byApi.Succeeded);
        Assert.False(status.IsSuperseded(byApi));

        File.WriteAllText(path, Modules.Calc("a - b"));
        await workspace.Log.WaitAsync(r => r.Succeeded && r.Changes.Count > 0);

        Assert.True(status.IsSuperseded(failed));
        Assert.True(status.IsSuperseded(byApi));
    }
}
