using System.Globalization;
using System.Text.Json.Nodes;

namespace Molt.Control.Tests;

public sealed class PeerCredentialTests
{
    // A client that connects, sends one request and prints whatever line comes back.
    private const string PythonClient = """
        import socket, sys
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.settimeout(20)
        s.connect(sys.argv[1])
        s.sendall(b'{"id":7,"command":"stop"}\n')
        data = b''
        while not data.endswith(b'\n'):
            chunk = s.recv(4096)
            if not chunk:
                break
            data += chunk
        sys.stdout.write(data.decode())
        """;

    [RootFact]
    public async Task AClientRunningAsAnotherUserIsForbidden()
    {
        var (uid, gid) = await PeerUser.EnsureAsync();
        var directory = TempDirectory.Create("molt-peer-");
        // Traversable by anyone, and the socket itself 0666: only the peer-credential check stands in the way.
        File.SetUnixFileMode(directory, (UnixFileMode)0x1C9);
        await using var server = await TestServer.StartAsync(o => o.SocketFileMode = (UnixFileMode)0x1B6, directory);

        var asPeer = await RunClientAsync(server.SocketPath, "--reuid", uid.ToString(CultureInfo.InvariantCulture), "--regid", gid.ToString(CultureInfo.InvariantCulture), "--clear-groups");
        var asOwner = await RunClientAsync(server.SocketPath, "--reuid", "0", "--regid", "0", "--clear-groups");

        Assert.False(asPeer["ok"]!.GetValue<bool>());
        Assert.Equal("forbidden", asPeer["error"]!["code"]!.GetValue<string>());
        Assert.True(asOwner["ok"]!.GetValue<bool>());
        Assert.Equal(7, asOwner["id"]!.GetValue<int>());
        Assert.Single(server.Handler.Received);
        Assert.Contains(server.Logger.Entries, e => e.EventId == 4110 && e.Message.Contains($"uid {uid}", StringComparison.Ordinal));
    }

    [RootFact]
    public async Task TheForbiddenPeerCannotEvenReachAnOwnerOnlySocket()
    {
        var (uid, gid) = await PeerUser.EnsureAsync();
        var directory = TempDirectory.Create("molt-peer-");
        File.SetUnixFileMode(directory, (UnixFileMode)0x1C9);
        await using var server = await TestServer.StartAsync(directory: directory);

        var result = await Shell.RunAsync("/usr/bin/setpriv", "--reuid", uid.ToString(CultureInfo.InvariantCulture), "--regid", gid.ToString(CultureInfo.InvariantCulture), "--clear-groups", "/usr/bin/python3", "-c", PythonClient, server.SocketPath);

        // With the default 0600 socket the file system already stops the other user.
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("PermissionError", result.Error);
        Assert.Empty(server.Handler.Received);
    }

    private static async Task<JsonObject> RunClientAsync(string socketPath, params string[] privileges)
    {
        var result = await Shell.RunAsync("/usr/bin/setpriv", [.. privileges, "/usr/bin/python3", "-c", PythonClient, socketPath]);
        Assert.True(result.ExitCode == 0, $"The client failed ({result.ExitCode}): {result.Error}");
        return (JsonObject)JsonNode.Parse(result.Output)!;
    }
}
