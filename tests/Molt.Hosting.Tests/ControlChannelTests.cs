using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Molt.Control;

namespace Molt.Hosting.Tests;

public sealed class ControlChannelTests
{
    [Fact]
    public async Task TheChannelReloadsReportsAndStopsTheHost()
    {
        await using var workspace = new HostedWorkspace();
        var path = workspace.Write("calc.cs", Modules.Calc("a + b"));
        var socket = Path.Combine(workspace.Root + "-run", "molt.sock");
        await workspace.StartAsync(o =>
        {
            o.WatchFiles = false;
            o.EnableControlChannel = true;
            o.Control.SocketPath = socket;
        });
        var client = new ControlClient(new ControlClientOptions { SocketPath = socket, Timeout = TestTimeouts.Reload });
        var lifetime = workspace.Services.GetRequiredService<IHostApplicationLifetime>();
        var stopping = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lifetime.ApplicationStopping.Register(() => stopping.TrySetResult());

        File.WriteAllText(path, Modules.Calc("a * b"));
        var reload = await client.SendAsync(new ControlRequest(ControlCommands.Reload));
        var status = await client.SendAsync(new ControlRequest(ControlCommands.Status));
        var verify = await client.SendAsync(new ControlRequest(ControlCommands.Verify));
        var snapshot = await client.SendAsync(new ControlRequest(ControlCommands.Snapshot));
        var stop = await client.SendAsync(new ControlRequest(ControlCommands.Stop));
        await stopping.Task.WaitAsync(TestTimeouts.Reload);

        Assert.True(reload.Ok);
        Assert.True(reload.Result!["ok"]!.GetValue<bool>());
        Assert.Equal("control", reload.Result["trigger"]!.GetValue<string>());
        Assert.Equal(2, status.Result!["generation"]!.GetValue<int>());
        Assert.Equal(Environment.ProcessId, status.Result["pid"]!.GetValue<int>());
        Assert.Equal("calc", status.Result["modules"]![0]!["name"]!.GetValue<string>());
        Assert.True(verify.Result!["ok"]!.GetValue<bool>());
        Assert.False(snapshot.Ok);
        Assert.Equal("not_configured", snapshot.Error!.Code);
        Assert.True(stop.Ok);
    }

    [Fact]
    public async Task AFailedReloadAndTheStatusReachTheClientAsTheEngineReportedThem()
    {
        await using var workspace = new HostedWorkspace();
        var path = workspace.Write("calc.cs", Modules.Calc("a + b"));
        var socket = Path.Combine(workspace.Root + "-run", "molt.sock");
        await workspace.StartAsync(o =>
        {
            o.WatchFiles = false;
            o.Polling = PollingMode.Off;
            o.EnableControlChannel = true;
            o.Control.SocketPath = socket;
        });
        var client = new ControlClient(new ControlClientOptions { SocketPath = socket, Timeout = TestTimeouts.Reload });

        File.WriteAllText(path, Modules.Calc("a + "));
        var reload = (await client.SendAsync(new ControlRequest(ControlCommands.Reload))).ReadResult(ControlJson.ReloadReply);
        var status = (await client.SendAsync(new ControlRequest(ControlCommands.Status))).ReadResult(ControlJson.StatusReply);
        var manifest = workspace.Engine.Manifest;

        Assert.False(reload.Ok);
        var error = Assert.Single(reload.Diagnostics, d => d.Severity == "error");
        Assert.Equal((path, 3, "CS1525"), (error.File, error.Line, error.Id));
        Assert.True(error.Column > 0);
        Assert.Equivalent(ControlReplies.Reload(manifest.LastReload!), reload, strict: true);
        Assert.Equivalent(ControlReplies.Status(manifest, Environment.ProcessId), status, strict: true);
    }

    [Fact]
    public async Task TenClientsReloadingAtOnceAreAllAnsweredAndTheirReloadsCoalesce()
    {
        await using var workspace = new HostedWorkspace();
        var path = workspace.Write("calc.cs", Modules.Calc("a + b"));
        var socket = Path.Combine(workspace.Root + "-run", "molt.sock");
        await workspace.StartAsync(o =>
        {
            o.WatchFiles = false;
            o.Polling = PollingMode.Off;
            o.EnableControlChannel = true;
            o.Control.SocketPath = socket;
        });
        var changed = 0;
        workspace.Engine.Reloaded += (_, e) =>
        {
            if (e.Result.Changes.Count > 0)
            {
                Interlocked.Increment(ref changed);
            }
        };
        var add = workspace.Engine.GetEntryPoint<Func<int, int, int>>("calc", "Add");

        File.WriteAllText(path, Modules.Calc("a * b"));
        var replies = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Task.Run(() =>
            new ControlClient(new ControlClientOptions { SocketPath = socket, Timeout = TestTimeouts.Reload })
                .SendAsync(new ControlRequest(ControlCommands.Reload))))).WaitAsync(TestTimeouts.Reload);

        Assert.All(replies, r => Assert.True(r.Ok && r.Result!["ok"]!.GetValue<bool>(), r.Error?.Message));
        Assert.Equal(1, changed);
        Assert.All(replies, r => Assert.Equal(2, r.Result!["generation"]!.GetValue<int>()));
        Assert.Equal(12, add.Current(3, 4));
    }

    [Fact]
    public async Task ASecondHostOnASocketInUseFailsToStartBeforeAnyModuleCodeRuns()
    {
        await using var first = new HostedWorkspace();
        first.Write("calc.cs", Modules.Calc("a + b"));
        var socket = Path.Combine(first.Root + "-run", "molt.sock");
        await first.StartAsync(o => (o.EnableControlChannel, o.Control.SocketPath) = (true, socket));
        await using var second = new HostedWorkspace();
        var marker = second.Root + ".loaded";
        second.Write("hooked.cs", $$"""
            public sealed class Hooked : IModule
            {
                public ValueTask OnLoadAsync(IModuleContext context)
                {
                    File.WriteAllText(@"{{marker}}", "ran");
                    return ValueTask.CompletedTask;
                }
            }
            """);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => second.StartAsync(o => (o.EnableControlChannel, o.Control.SocketPath) = (true, socket)));

        Assert.Contains("another process is listening", error.Message);
        Assert.False(File.Exists(marker), "the second host ran a load hook before refusing the socket");
        Assert.Empty(second.Log.Results);
        var client = new ControlClient(new ControlClientOptions { SocketPath = socket, Timeout = TestTimeouts.Reload });
        var status = await client.SendAsync(new ControlRequest(ControlCommands.Status));
        Assert.Equal("calc", status.Result!["modules"]![0]!["name"]!.GetValue<string>());
    }
}
