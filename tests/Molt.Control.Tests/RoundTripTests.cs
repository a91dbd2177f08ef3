using System.Text.Json.Nodes;

namespace Molt.Control.Tests;

public sealed class RoundTripTests
{
    private const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerOnlyDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    [Theory]
    [InlineData("reload")]
    [InlineData("status")]
    [InlineData("verify")]
    [InlineData("snapshot")]
    [InlineData("stop")]
    public async Task EachCommandReachesTheHandlerAndItsReplyComesBack(string command)
    {
        await using var server = await TestServer.StartAsync();

        var reply = await server.Client().SendAsync(new ControlRequest(command, new JsonObject { ["module"] = "Greeter", ["n"] = 3 }, id: 42)).Bounded();

        Assert.True(reply.Ok);
        Assert.Equal(42, reply.Id!.GetValue<int>());
        Assert.Equal(command, reply.Result!["command"]!.GetValue<string>());
        var received = Assert.Single(server.Handler.Received);
        Assert.Equal(command, received.Command);
        Assert.Equal(42, received.Id!.GetValue<int>());
        Assert.Equal("Greeter", received.Arguments["module"]!.GetValue<string>());
        Assert.Equal(3, received.Arguments["n"]!.GetValue<int>());
        Assert.Equal(2, received.Arguments.Count);
    }

    [Fact]
    public async Task TheSocketFileIsOwnerOnlyAndGoneAfterStop()
    {
        var directory = Path.Combine(TempDirectory.Create("molt-ctl-"), "nested");
        var server = await TestServer.StartAsync(directory: directory);
        var path = server.SocketPath;

        Assert.Equal(OwnerReadWrite, File.GetUnixFileMode(path));
        Assert.Equal(OwnerOnlyDirectory, File.GetUnixFileMode(directory));

        await server.Server.StopAsync(CancellationToken.None).Bounded();
        Assert.False(File.Exists(path));
        await server.DisposeAsync();
    }

    [Fact]
    public async Task AStaleSocketFileIsReplacedAtStart()
    {
        var directory = TempDirectory.Create("molt-ctl-");
        TestServer.CreateStaleSocket(Path.Combine(directory, "c.sock"));

        await using var server = await TestServer.StartAsync(directory: directory);

        Assert.True((await server.Client().SendAsync(new ControlRequest("status")).Bounded()).Ok);
        Assert.Contains(server.Logger.Entries, e => e.EventId == 4103);
    }

    [Fact]
    public async Task ASecondServerOnALiveSocketIsRefusedAndTheFirstKeepsServing()
    {
        await using var first = await TestServer.StartAsync();

        var second = new ControlServer(new RecordingHandler(), new ControlServerOptions { SocketPath = first.SocketPath });
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => second.StartAsync(CancellationToken.None)).Bounded();

        Assert.Contains("another process is listening", error.Message);
        Assert.True((await first.Client().SendAsync(new ControlRequest("status")).Bounded()).Ok);
    }

    [Fact]
    public async Task SeveralRequestsOnOneConnectionAreAnsweredInOrder()
    {
        await using var server = await TestServer.StartAsync();
        using var connection = await server.ConnectRawAsync();
        string[] commands = ["reload", "status", "verify", "snapshot", "stop"];

        // One write holding all five lines: the server must split and answer them one by one.
        await connection.SendLineAsync(string.Join("\n", commands.Select((c, i) => $$"""{"id":{{i}},"command":"{{c}}"}""")));

        for (var i = 0; i < commands.Length; i++)
        {
            var reply = await connection.ReadReplyAsync();
            Assert.Equal(i, reply["id"]!.GetValue<int>());
            Assert.Equal(commands[i], reply["result"]!["command"]!.GetValue<string>());
        }

        Assert.Equal(commands, server.Handler.Received.Select(r => r.Command));
    }

    [Fact]
    public async Task AThrowingHandlerGivesInternalErrorAndTheConnectionKeepsWorking()
    {
        await using var server = await TestServer.StartAsync();
        server.Handler.Behaviour = (request, _) => request.Command == "verify"
            ? throw new InvalidOperationException("compilation exploded")
            : Task.FromResult(ControlReply.Success());
        using var connection = await server.ConnectRawAsync();

        await connection.SendLineAsync("""{"id":1,"command":"verify"}""");
        var failed = await connection.ReadReplyAsync();
        await connection.SendLineAsync("""{"id":2,"command":"status"}""");
        var succeeded = await connection.ReadReplyAsync();

        Assert.False(failed["ok"]!.GetValue<bool>());
        Assert.Equal("internal_error", failed["error"]!["code"]!.GetValue<string>());
        Assert.Equal("compilation exploded", failed["error"]!["message"]!.GetValue<string>());
        Assert.True(succeeded["ok"]!.GetValue<bool>());
        Assert.Equal(2, succeeded["id"]!.GetValue<int>());
    }

    [Fact]
    public async Task AHandlerFailureReplyKeepsItsCodeAndTheRequestId()
    {
        await using var server = await TestServer.StartAsync();
        server.Handler.Behaviour = (_, _) => Task.FromResult(ControlReply.Failure("compile_failed", "CS1002: ; expected"));

        var reply = await server.Client().SendAsync(new ControlRequest("reload", id: "r-1")).Bounded();

        Assert.False(reply.Ok);
        Assert.Equal("r-1", reply.Id!.GetValue<string>());
        Assert.Equal(new ControlError("compile_failed", "CS1002: ; expected"), reply.Error);
    }
}
