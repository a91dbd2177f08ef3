using System.Net.Sockets;
using System.Text.Json.Nodes;

namespace Molt.Control.Tests;

/// <summary>A control server at a fixed path adopting its listener from another one, as a hot restart's new process does.</summary>
public sealed class HandoverTests
{
    [Fact]
    public async Task TheAdoptingServerServesTheSamePathAndTheOldOneStopsAnsweringButRepliesToTheRequestThatHandedOver()
    {
        var path = Path.Combine(TempDirectory.Create("molt-ctl-"), "c.sock");
        var oldHandover = new Handover();
        var old = new RecordingHandler();
        await using var oldServer = new ControlServer(old, new ControlServerOptions { SocketPath = path, Handover = oldHandover });
        await oldServer.StartAsync(CancellationToken.None).Bounded();
        var client = new ControlClient(new ControlClientOptions { SocketPath = path, Timeout = Within.Default });
        Assert.True((await client.SendAsync(new ControlRequest("status")).Bounded()).Ok);

        // The request that hands over (molt restart's) reaches the old server, which starts the new one meanwhile,
        // stops accepting, and still answers it.
        var received = new TaskCompletionSource();
        var newStarted = new TaskCompletionSource();
        old.Behaviour = async (_, _) =>
        {
            received.SetResult();
            await newStarted.Task;
            oldHandover.HandedOver.ForEach(a => a());
            return ControlReply.Success(new JsonObject { ["by"] = "old" });
        };
        var restart = client.SendAsync(new ControlRequest("restart"));
        await received.Task.Bounded();

        // Binding the path a live server listens on is refused; adopting its listener is not.
        var adopting = new Handover();
        adopting.Offered[ControlServer.UnixListenerName] = Assert.Single(oldHandover.Kept).Value;
        var next = new RecordingHandler();
        var newServer = new ControlServer(next, new ControlServerOptions { SocketPath = path, Handover = adopting });
        await newServer.StartAsync(CancellationToken.None).Bounded();
        Assert.Contains(ControlServer.UnixListenerName, adopting.Kept.Keys);
        newStarted.SetResult();

        var reply = await restart.Bounded();
        Assert.True(reply.Ok);
        Assert.Equal("old", reply.Result!["by"]!.GetValue<string>());

        var oldCount = old.Received.Count;
        for (var i = 0; i < 10; i++)
        {
            Assert.True((await client.SendAsync(new ControlRequest("status")).Bounded()).Ok);
        }

        Assert.Equal(oldCount, old.Received.Count);
        Assert.Equal(10, next.Received.Count);

        // Stopping, the old server leaves the file: it is the new server's.
        await oldServer.StopAsync(CancellationToken.None).Bounded();
        Assert.True(File.Exists(path));
        Assert.True((await client.SendAsync(new ControlRequest("status")).Bounded()).Ok);
        Assert.Equal(11, next.Received.Count);
        await newServer.DisposeAsync().AsTask().Bounded();
        Assert.False(File.Exists(path));
    }

    [Fact]
    public async Task AnAdoptingServerThatStopsBeforeTheHandOverCompletedLeavesTheFileToTheServerThatStillServesIt()
    {
        var path = Path.Combine(TempDirectory.Create("molt-ctl-"), "c.sock");
        var oldHandover = new Handover();
        var old = new RecordingHandler();
        await using var oldServer = new ControlServer(old, new ControlServerOptions { SocketPath = path, Handover = oldHandover });
        await oldServer.StartAsync(CancellationToken.None).Bounded();

        // A new process that adopted the socket and then failed to start, before it was ready.
        var adopting = new Handover { IsTakenOver = false };
        adopting.Offered[ControlServer.UnixListenerName] = Assert.Single(oldHandover.Kept).Value;
        var failed = new ControlServer(new RecordingHandler(), new ControlServerOptions { SocketPath = path, Handover = adopting });
        await failed.BindAsync(CancellationToken.None).Bounded();
        await failed.DisposeAsync().AsTask().Bounded();

        Assert.True(File.Exists(path));
        var client = new ControlClient(new ControlClientOptions { SocketPath = path, Timeout = Within.Default });
        Assert.True((await client.SendAsync(new ControlRequest("status")).Bounded()).Ok);
        Assert.Single(old.Received);
    }

    private sealed class Handover : IListenerHandover
    {
        public Dictionary<string, Socket> Offered { get; } = [];

        public Dictionary<string, Socket> Kept { get; } = [];

        public List<Action> HandedOver { get; } = [];

        public bool IsTakenOver { get; set; } = true;

        public Socket? Adopt(string name) => Offered.Remove(name, out var socket) ? socket : null;

        public void Keep(string name, Socket listener) =>
            Kept[name] = new Socket(new SafeSocketHandle(DescriptorPassing.Duplicate((int)listener.Handle), ownsHandle: true));

        public void OnHandedOver(Action handedOver) => HandedOver.Add(handedOver);
    }
}
