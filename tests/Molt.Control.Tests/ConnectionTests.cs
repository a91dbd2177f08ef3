using System.Text;

namespace Molt.Control.Tests;

public sealed class ConnectionTests
{
    [Fact]
    public async Task AHalfOpenConnectionAndAHundredIdleOnesDoNotStopAFreshClient()
    {
        await using var server = await TestServer.StartAsync();
        using var halfOpen = await server.ConnectRawAsync();
        await halfOpen.SendAsync(Encoding.UTF8.GetBytes("""{"command":"sta"""));
        var idle = new List<RawConnection>();
        try
        {
            for (var i = 0; i < 100; i++)
            {
                idle.Add(await server.ConnectRawAsync());
            }

            var reply = await server.Client().SendAsync(new ControlRequest("status")).Bounded();

            Assert.True(reply.Ok);
            Assert.InRange(server.Server.ConnectionCount, 0, new ControlServerOptions().MaxConnections);
        }
        finally
        {
            idle.ForEach(c => c.Dispose());
        }
    }

    [Fact]
    public async Task WhenFullTheLongestIdleConnectionMakesRoom()
    {
        await using var server = await TestServer.StartAsync(o => o.MaxConnections = 2);
        using var oldest = await server.ConnectRawAsync();
        await oldest.SendLineAsync("""{"command":"status"}""");
        await oldest.ReadReplyAsync();
        using var newer = await server.ConnectRawAsync();
        await newer.SendLineAsync("""{"command":"status"}""");
        await newer.ReadReplyAsync();

        using var newcomer = await server.ConnectRawAsync();
        await newcomer.SendLineAsync("""{"command":"status"}""");

        Assert.True((await newcomer.ReadReplyAsync())["ok"]!.GetValue<bool>());
        Assert.True(await oldest.IsClosedByServerAsync());
        await newer.SendLineAsync("""{"id":2,"command":"status"}""");
        Assert.Equal(2, (await newer.ReadReplyAsync())["id"]!.GetValue<int>());
    }

    [Fact]
    public async Task WhenFullAndEveryConnectionIsBusyANewcomerIsToldBusy()
    {
        var release = new TaskCompletionSource<ControlReply>(TaskCreationOptions.RunContinuationsAsynchronously);
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await TestServer.StartAsync(o => o.MaxConnections = 1);
        server.Handler.Behaviour = (_, _) =>
        {
            entered.TrySetResult();
            return release.Task;
        };
        using var busy = await server.ConnectRawAsync();
        await busy.SendLineAsync("""{"command":"reload"}""");
        await entered.Task.Bounded();

        var refused = await Assert.ThrowsAsync<ControlRefusedException>(() => server.Client().SendAsync(new ControlRequest("status"))).Bounded();

        Assert.Equal("busy", refused.Code);
        release.SetResult(ControlReply.Success());
        Assert.True((await busy.ReadReplyAsync())["ok"]!.GetValue<bool>());
    }

    [Fact]
    public async Task AnIdleConnectionIsClosedAfterTheIdleTimeout()
    {
        await using var server = await TestServer.StartAsync(o => o.IdleTimeout = TimeSpan.FromMilliseconds(200));
        using var connection = await server.ConnectRawAsync();

        Assert.True(await connection.IsClosedByServerAsync());
        Assert.Contains(server.Logger.Entries, e => e.EventId == 4130);
    }

    [Fact]
    public async Task AConnectionThatDripsAPartialLineIsStillClosedAfterTheIdleTimeout()
    {
        await using var server = await TestServer.StartAsync(o => o.IdleTimeout = TimeSpan.FromMilliseconds(300));
        using var connection = await server.ConnectRawAsync();
        await connection.SendAsync(Encoding.UTF8.GetBytes("""{"comm"""));

        var closed = connection.IsClosedByServerAsync();
        var dripped = 0;
        while (!closed.IsCompleted && dripped < 100)
        {
            // Each byte arrives well within the timeout, but the line never completes.
            await Task.WhenAny(closed, Task.Delay(50));
            if (!closed.IsCompleted)
            {
                try
                {
                    await connection.SendAsync([(byte)' ']);
                }
                catch (System.Net.Sockets.SocketException)
                {
                    break;
                }

                dripped++;
            }
        }

        Assert.True(await closed.Bounded());
        Assert.InRange(dripped, 1, 99);
    }

    [Fact]
    public async Task StoppingClosesEverythingPromptlyAndAnswersTheRequestInFlight()
    {
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var server = await TestServer.StartAsync();
        server.Handler.Behaviour = async (_, cancellationToken) =>
        {
            entered.TrySetResult();
            await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
            return ControlReply.Success();
        };
        var idle = new List<RawConnection>();
        for (var i = 0; i < 10; i++)
        {
            idle.Add(await server.ConnectRawAsync());
        }

        using var inFlight = await server.ConnectRawAsync();
        await inFlight.SendLineAsync("""{"id":1,"command":"reload"}""");
        await entered.Task.Bounded();

        await server.Server.StopAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Equal("shutting_down", (await inFlight.ReadReplyAsync())["error"]!["code"]!.GetValue<string>());
        foreach (var connection in idle)
        {
            Assert.True(await connection.IsClosedByServerAsync());
            connection.Dispose();
        }

        Assert.False(File.Exists(server.SocketPath));
        await server.DisposeAsync();
    }

    [Fact]
    public async Task AReplyBeingWrittenWhenTheServerStopsStillReachesItsClientWhole()
    {
        // Far more than a socket buffer holds: the server is mid-write, blocked on this client, when it stops.
        var payload = new string('x', 4 * 1024 * 1024);
        var server = await TestServer.StartAsync();
        server.Handler.Behaviour = (_, _) => Task.FromResult(ControlReply.Success(new System.Text.Json.Nodes.JsonObject { ["payload"] = payload }));
        using var client = await server.ConnectRawAsync();
        await client.SendLineAsync("""{"id":1,"command":"restart"}""");
        await client.WaitForDataAsync();

        var stopping = server.Server.StopAsync(CancellationToken.None);
        var reply = await client.ReadReplyAsync();

        Assert.True(reply["ok"]!.GetValue<bool>());
        Assert.Equal(payload.Length, reply["result"]!["payload"]!.GetValue<string>().Length);
        await stopping.Bounded();
        await server.DisposeAsync();
    }
}
