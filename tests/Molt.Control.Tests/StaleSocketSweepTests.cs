using System.Net.Sockets;

namespace Molt.Control.Tests;

public sealed class StaleSocketSweepTests
{
    [Fact]
    public async Task AServerNamedAfterItsPidRemovesOnlyTheSocketsDeadProcessesLeftBehind()
    {
        var directory = TempDirectory.Create("molt-sweep-");
        var dead = await TestServer.ExitedProcessIdAsync();
        var leftover = Path.Combine(directory, $"{dead}.sock");
        TestServer.CreateStaleSocket(leftover);
        var handover = Path.Combine(directory, $"{dead}.handover.sock");
        TestServer.CreateStaleSocket(handover);

        // A dead pid's file that something still serves (a hot restart's successor, or a process in
        // another pid namespace) stays; so do a live pid's, a non-socket's and other names.
        var deadButServed = Path.Combine(directory, $"{await TestServer.ExitedProcessIdAsync()}.sock");
        using var successor = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        successor.Bind(new UnixDomainSocketEndPoint(deadButServed));
        successor.Listen(1);
        var livePid = Path.Combine(directory, "1.sock");
        TestServer.CreateStaleSocket(livePid);
        var notASocket = Path.Combine(directory, $"{await TestServer.ExitedProcessIdAsync()}.sock");
        await File.WriteAllTextAsync(notASocket, "not a socket");
        var otherName = Path.Combine(directory, "compile-0123.sock");
        TestServer.CreateStaleSocket(otherName);

        await using var server = await TestServer.StartAsync(o => o.SocketPath = Path.Combine(directory, $"{Environment.ProcessId}.sock"), directory);
        var removed = await server.Server.StaleSocketsSwept.Bounded();

        Assert.Equal([handover, leftover], removed.Order(StringComparer.Ordinal));
        Assert.False(File.Exists(leftover));
        Assert.False(File.Exists(handover));
        Assert.All([deadButServed, livePid, notASocket, otherName, server.SocketPath], path => Assert.True(File.Exists(path), path));
        Assert.Contains(server.Logger.Entries, e => e.EventId == 4103);
        Assert.True((await server.Client().SendAsync(new ControlRequest("status")).Bounded()).Ok);
    }

    [Fact]
    public async Task AServerOnAPathTheHostChoseLeavesItsDirectoryAlone()
    {
        var directory = TempDirectory.Create("molt-sweep-");
        var leftover = Path.Combine(directory, $"{await TestServer.ExitedProcessIdAsync()}.sock");
        TestServer.CreateStaleSocket(leftover);

        await using var server = await TestServer.StartAsync(o => o.SocketPath = Path.Combine(directory, "host.sock"), directory);

        Assert.Empty(await server.Server.StaleSocketsSwept.Bounded());
        Assert.True(File.Exists(leftover));
    }
}
