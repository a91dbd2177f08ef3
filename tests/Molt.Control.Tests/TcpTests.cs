using System.Net;
using System.Text.Json.Nodes;

namespace Molt.Control.Tests;

/// <summary>TCP listeners are opened one test at a time (see <see cref="TcpListenersCollection"/>), so the /proc check sees only its own.</summary>
[Collection(TcpListenersCollection.Name)]
public sealed class TcpTests
{
    private const string Token = "correct-horse-battery-staple";

    [Fact]
    public async Task TcpIsOffByDefault()
    {
        var before = ListeningTcpSockets.OfThisProcess();

        await using var server = await TestServer.StartAsync();

        Assert.Null(server.Server.TcpEndPoint);
        Assert.Equal(before, ListeningTcpSockets.OfThisProcess());
    }

    [Fact]
    public async Task WhenEnabledItListensOnLoopbackOnly()
    {
        var before = ListeningTcpSockets.OfThisProcess();

        await using var server = await TestServer.StartAsync(o => (o.EnableTcp, o.TcpToken) = (true, Token));

        Assert.Equal(IPAddress.Loopback, server.Server.TcpEndPoint!.Address);
        Assert.NotEqual(0, server.Server.TcpEndPoint.Port);
        var added = Assert.Single(ListeningTcpSockets.OfThisProcess().Except(before));
        // /proc/net/tcp writes the local address as hex in host byte order: 0100007F is 127.0.0.1.
        Assert.StartsWith("0100007F:", added);
    }

    [Fact]
    public async Task ARequestWithTheRightTokenIsDispatchedWithoutTheToken()
    {
        await using var server = await TestServer.StartAsync(o => (o.EnableTcp, o.TcpToken) = (true, Token));
        var client = new ControlClient(new ControlClientOptions { TcpEndPoint = server.Server.TcpEndPoint, Token = Token, Timeout = Within.Default });

        var reply = await client.SendAsync(new ControlRequest("reload", new JsonObject { ["module"] = "Greeter" })).Bounded();

        Assert.True(reply.Ok);
        var received = Assert.Single(server.Handler.Received);
        Assert.Equal("reload", received.Command);
        Assert.False(received.Arguments.ContainsKey("token"));
        Assert.Equal("Greeter", received.Arguments["module"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("""{"id":1,"command":"stop"}""")]
    [InlineData("""{"id":1,"command":"stop","token":"correct-horse-battery-stapler"}""")]
    [InlineData("""{"id":1,"command":"stop","token":"correct-horse"}""")]
    [InlineData("""{"id":1,"command":"stop","token":42}""")]
    [InlineData("""{"id":1,"command":"no-such-command","token":"wrong"}""")]
    public async Task AMissingOrWrongTokenIsUnauthorizedAndNotDispatched(string line)
    {
        await using var server = await TestServer.StartAsync(o => (o.EnableTcp, o.TcpToken) = (true, Token));
        using var connection = await RawConnection.ConnectAsync(server.Server.TcpEndPoint!);

        await connection.SendLineAsync(line);
        var reply = await connection.ReadReplyAsync();

        Assert.Equal("unauthorized", reply["error"]!["code"]!.GetValue<string>());
        Assert.Equal(1, reply["id"]!.GetValue<int>());
        Assert.True(await connection.IsClosedByServerAsync());
        Assert.Empty(server.Handler.Received);
        Assert.Contains(server.Logger.Entries, e => e.EventId == 4112);
    }

    [Fact]
    public async Task TheClientReportsAWrongTokenAsRefused()
    {
        await using var server = await TestServer.StartAsync(o => (o.EnableTcp, o.TcpToken) = (true, Token));
        var client = new ControlClient(new ControlClientOptions { TcpEndPoint = server.Server.TcpEndPoint, Token = "not-the-token-at-all", Timeout = Within.Default });

        var refused = await Assert.ThrowsAsync<ControlRefusedException>(() => client.SendAsync(new ControlRequest("stop"))).Bounded();

        Assert.Equal("unauthorized", refused.Code);
        Assert.Empty(server.Handler.Received);
    }

    [Fact]
    public async Task TheUnixSocketNeedsNoTokenWhenTcpIsOn()
    {
        await using var server = await TestServer.StartAsync(o => (o.EnableTcp, o.TcpToken) = (true, Token));

        Assert.True((await server.Client().SendAsync(new ControlRequest("status")).Bounded()).Ok);
    }

    [Theory]
    [InlineData(null, "127.0.0.1", false, "needs a TcpToken")]
    [InlineData("", "127.0.0.1", false, "needs a TcpToken")]
    [InlineData("short", "127.0.0.1", false, "at least 16")]
    [InlineData(Token, "0.0.0.0", false, "not a loopback address")]
    [InlineData(Token, "192.0.2.1", false, "not a loopback address")]
    public void InvalidTcpOptionsAreRejected(string? token, string address, bool allowNonLoopback, string expected)
    {
        var options = new ControlServerOptions { EnableTcp = true, TcpToken = token, TcpAddress = IPAddress.Parse(address), AllowNonLoopbackTcp = allowNonLoopback };

        var error = Assert.Throws<ArgumentException>(() => new ControlServer(new RecordingHandler(), options));

        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public async Task ATakenPortIsAClearErrorAndLeavesNoSocketFileBehind()
    {
        using var taken = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        var path = Path.Combine(TempDirectory.Create("molt-ctl-"), "c.sock");
        await using var server = new ControlServer(new RecordingHandler(), new ControlServerOptions { SocketPath = path, EnableTcp = true, TcpToken = Token, TcpPort = port });

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => server.StartAsync(CancellationToken.None)).Bounded();

        Assert.Contains($"Cannot listen on TCP 127.0.0.1:{port}", error.Message);
        Assert.False(File.Exists(path));
    }
}
