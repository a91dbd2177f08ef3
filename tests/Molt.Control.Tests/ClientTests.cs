namespace Molt.Control.Tests;

public sealed class ClientTests
{
    [Fact]
    public async Task AMissingSocketIsReportedAsNotListening()
    {
        var path = Path.Combine(TempDirectory.Create("molt-ctl-"), "absent.sock");
        var client = new ControlClient(new ControlClientOptions { SocketPath = path });

        var error = await Assert.ThrowsAsync<ControlNotListeningException>(() => client.SendAsync(new ControlRequest("status"))).Bounded();

        Assert.Contains(path, error.Message);
    }

    [Fact]
    public async Task AStaleSocketIsReportedAsNotListening()
    {
        var path = Path.Combine(TempDirectory.Create("molt-ctl-"), "stale.sock");
        TestServer.CreateStaleSocket(path);
        var client = new ControlClient(new ControlClientOptions { SocketPath = path });

        await Assert.ThrowsAsync<ControlNotListeningException>(() => client.SendAsync(new ControlRequest("status"))).Bounded();
    }

    [Fact]
    public async Task AHandlerThatNeverAnswersIsReportedAsATimeout()
    {
        await using var server = await TestServer.StartAsync();
        server.Handler.Behaviour = async (_, cancellationToken) =>
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
            return ControlReply.Success();
        };

        var error = await Assert.ThrowsAsync<ControlTimeoutException>(() => server.Client(TimeSpan.FromMilliseconds(300)).SendAsync(new ControlRequest("reload"))).Bounded();

        Assert.Contains("did not reply", error.Message);
    }

    [Fact]
    public async Task CancellationByTheCallerIsNotATimeout()
    {
        await using var server = await TestServer.StartAsync();
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        server.Handler.Behaviour = async (_, cancellationToken) =>
        {
            entered.TrySetResult();
            await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
            return ControlReply.Success();
        };
        using var cancel = new CancellationTokenSource();

        var sending = server.Client().SendAsync(new ControlRequest("reload"), cancel.Token);
        await entered.Task.Bounded();
        await cancel.CancelAsync();

        var error = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sending).Bounded();
        Assert.IsNotType<ControlTimeoutException>(error);
    }

    [Fact]
    public void OptionsMustNameExactlyOneEndpoint()
    {
        Assert.Throws<ArgumentException>(() => new ControlClient(new ControlClientOptions()));
        Assert.Throws<ArgumentException>(() => new ControlClient(new ControlClientOptions { SocketPath = "/tmp/x.sock", TcpEndPoint = new(System.Net.IPAddress.Loopback, 1), Token = "t" }));
        Assert.Throws<ArgumentException>(() => new ControlClient(new ControlClientOptions { TcpEndPoint = new(System.Net.IPAddress.Loopback, 1) }));
    }
}
