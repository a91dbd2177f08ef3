using System.Collections.Concurrent;
using Molt.Tests.Infrastructure;

namespace Molt.Tests.Connections;

public sealed class ConnectionServerTests
{
    [Fact]
    public async Task TwentyClientsKeepTheirConnectionsAndEveryLineThroughReloadsEveryFewHundredMilliseconds()
    {
        await using var workspace = new ModuleWorkspace();
        workspace.Write("echo.cs", EchoServer.Module(1));
        var engine = await workspace.StartAsync();
        var unloaded = new ConcurrentBag<int>();
        var leaked = new ConcurrentBag<string>();
        engine.GenerationUnloaded += (_, e) => unloaded.Add(e.Generation);
        engine.GenerationLeaked += (_, e) => leaked.Add($"{e.Module}#{e.Generation}: {e.Message}");
        using var server = engine.ServeConnections("echo");
        await using var listener = new EchoServer(server);

        using var stop = new CancellationTokenSource();
        var clients = Enumerable.Range(0, 20).Select(i => Task.Run(() => ClientAsync(i, listener.Port, stop.Token))).ToArray();

        const int Reloads = 12;
        for (var version = 2; version <= Reloads + 1; version++)
        {
            workspace.Write("echo.cs", EchoServer.Module(version));
            var result = await engine.ReloadAsync().WaitAsync(TestTimeouts.Reload);
            Assert.True(result.Succeeded, string.Join("\n", result.Errors));
            await Task.Delay(Random.Shared.Next(100, 300));
        }

        await stop.CancelAsync();
        var outcomes = await Task.WhenAll(clients).WaitAsync(TestTimeouts.Reload);
        Assert.All(outcomes, o => Assert.True(o.Lines > 0, $"client {o.Client} got no line through"));
        Assert.All(outcomes, o => Assert.Equal(Reloads + 1, o.LastVersion));

        // Every retired generation unloads (the handlers let go of them at each switch).
        var deadline = DateTime.UtcNow + TestTimeouts.Reload;
        while (unloaded.Count < Reloads && leaked.IsEmpty && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.Empty(leaked);
        Assert.Equal(Enumerable.Range(1, Reloads), unloaded.Order());
    }

    [Fact]
    public async Task AHalfSentLineIsFinishedByTheNewGeneration()
    {
        await using var workspace = new ModuleWorkspace();
        workspace.Write("echo.cs", EchoServer.Module(1));
        var engine = await workspace.StartAsync();
        using var server = engine.ServeConnections("echo");
        await using var listener = new EchoServer(server);
        using var client = new Client();
        await client.ConnectAsync(listener.Port);
        Assert.Equal("hello", await client.ReadAsync());
        await client.SendAsync("first");
        Assert.Equal("v1 1 first", await client.ReadAsync());

        await client.SendAsync("second half", splitAt: 6, pause: TimeSpan.FromMilliseconds(1));
        await client.SendPartAsync("abc");
        workspace.Write("echo.cs", EchoServer.Module(2));
        Assert.True((await engine.ReloadAsync().WaitAsync(TestTimeouts.Reload)).Succeeded);
        await client.SendAsync("def");

        // Sent before the reload: answered by whichever generation had it when the reload paused the hand-out.
        Assert.Matches("^v[12] 2 second half$", await client.ReadAsync());
        Assert.Equal("v2 3 abcdef", await client.ReadAsync());
    }

    [Fact]
    public async Task AHandlerThatDoesNotReachAReadInTimeFailsTheReloadNamingItsConnectionAndTheOldCodeServes()
    {
        await using var workspace = new ModuleWorkspace();
        workspace.Write("echo.cs", EchoServer.Module(1));
        var engine = await workspace.StartAsync(o => o.DrainTimeout = TimeSpan.FromMilliseconds(300));
        using var server = engine.ServeConnections("echo");
        await using var listener = new EchoServer(server);
        using var client = new Client();
        await client.ConnectAsync(listener.Port);
        Assert.Equal("hello", await client.ReadAsync());

        await client.SendAsync("sleep 3000");
        await Task.Delay(100);
        workspace.Write("echo.cs", EchoServer.Module(2));
        var blocked = await engine.ReloadAsync().WaitAsync(TestTimeouts.Reload);
        Assert.False(blocked.Succeeded);
        var error = Assert.Single(blocked.Errors);
        Assert.Equal(MoltDiagnosticIds.EntryPointPreparationFailed, error.Id);
        Assert.Contains("did not reach a read", error.Message, StringComparison.Ordinal);

        Assert.Equal("v1 1 sleep 3000", await client.ReadAsync());
        Assert.True((await engine.ReloadAsync().WaitAsync(TestTimeouts.Reload)).Succeeded);
        await client.SendAsync("after");
        Assert.Equal("v2 2 after", await client.ReadAsync());
    }

    private static async Task<(int Client, int Lines, int LastVersion)> ClientAsync(int id, int port, CancellationToken stop)
    {
        using var client = new Client();
        await client.ConnectAsync(port);
        Assert.Equal("hello", await client.ReadAsync());
        var (line, version) = (0, 0);
        while (!stop.IsCancellationRequested || line < 3)
        {
            line++;
            var text = $"client {id} line {line}";
            await client.SendAsync(text, splitAt: Random.Shared.Next(0, text.Length), pause: TimeSpan.FromMilliseconds(Random.Shared.Next(0, 15)));
            var reply = (await client.ReadAsync()).Split(' ', 3);
            var replyVersion = int.Parse(reply[0][1..]);
            Assert.True(replyVersion >= version, $"client {id}: version went back from {version} to {replyVersion}");
            Assert.Equal(line.ToString(), reply[1]);
            Assert.Equal(text, reply[2]);
            version = replyVersion;
        }

        return (id, line, version);
    }
}
