namespace Molt.Control.Tests;

public sealed class BindTests
{
    [Fact]
    public async Task ABoundServerAnswersNothingUntilStartedAndItsEarlyClientsWaitForIt()
    {
        var directory = TempDirectory.Create("molt-ctl-");
        var handler = new RecordingHandler();
        await using var server = new ControlServer(handler, new ControlServerOptions { SocketPath = Path.Combine(directory, "c.sock") });
        await server.BindAsync(CancellationToken.None).Bounded();
        var client = new ControlClient(new ControlClientOptions { SocketPath = server.SocketPath, Timeout = Within.Default });

        var early = client.SendAsync(new ControlRequest("status"));
        var second = new ControlServer(new RecordingHandler(), new ControlServerOptions { SocketPath = server.SocketPath });
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => second.BindAsync(CancellationToken.None)).Bounded();
        Assert.Contains("another process is listening", refused.Message);
        Assert.False(early.IsCompleted);
        Assert.Empty(handler.Received);

        await server.StartAsync(CancellationToken.None).Bounded();

        Assert.True((await early.Bounded()).Ok);
        Assert.Single(handler.Received);
    }

    [Fact]
    public async Task AServerThatFailedToBindLeavesNoFileAndStopsQuietly()
    {
        var directory = TempDirectory.Create("molt-ctl-");
        File.SetUnixFileMode(directory, (UnixFileMode)0x1FF);
        var path = Path.Combine(directory, "c.sock");
        var server = new ControlServer(new RecordingHandler(), new ControlServerOptions { SocketPath = path });

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => server.BindAsync(CancellationToken.None)).Bounded();

        Assert.Contains("writable by group or others", error.Message);
        Assert.Null(server.SocketPath);
        Assert.False(File.Exists(path));
        await server.DisposeAsync().AsTask().Bounded();
        await Assert.ThrowsAsync<InvalidOperationException>(() => server.StartAsync(CancellationToken.None)).Bounded();
    }
}
