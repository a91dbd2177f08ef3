using System.Diagnostics;
using Molt.Compilation.Server;
using Molt.Interop;
using Molt.Tests.Infrastructure;

namespace Molt.Tests.CompileServer;

/// <summary>
/// A listener of another user on the server's socket is refused by its uid (SO_PEERCRED), not
/// believed. Needs root (to run the listener as another user, with setpriv) and /usr/bin/python3 for
/// the listener; elsewhere the test returns without checking anything, and the decision itself is
/// covered by <c>ServerProtocolTests.TheTrustChecksRefuseOtherUsersAndOpenDirectories</c>.
/// </summary>
public sealed class ServerOtherUserTests
{
    private const int Nobody = 65534;

    // Binds where nobody may, says so, then answers every connection with a well-formed-looking frame.
    private const string Listener = """
        import socket, sys
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.bind(sys.argv[1]); s.listen(8)
        print("ready", flush=True)
        while True:
            c, _ = s.accept()
            try:
                c.sendall(b"\x08\x00\x00\x00MLTC\x01\x00\x00\x00")
            except OSError:
                pass  # the engine's warm-up only connects and leaves
            c.close()
        """;

    [Fact]
    public async Task AServerOfAnotherUserIsRefusedByItsUid()
    {
        if (UnixInterop.EffectiveUserId != 0 || !File.Exists("/usr/bin/setpriv") || !File.Exists("/usr/bin/python3"))
        {
            return;
        }

        using var rig = new ServerRig();
        var open = Directory.CreateTempSubdirectory("molt-cs-other-");
        File.SetUnixFileMode(open.FullName, (UnixFileMode)0x1FF); // 0777: the other user binds here
        var info = new ProcessStartInfo("/usr/bin/setpriv") { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in new[] { $"--reuid={Nobody}", $"--regid={Nobody}", "--clear-groups", "/usr/bin/python3", "-c", Listener, Path.Combine(open.FullName, "s.sock") })
        {
            info.ArgumentList.Add(arg);
        }

        using var listener = Process.Start(info)!;
        try
        {
            Assert.Equal("ready", await listener.StandardOutput.ReadLineAsync().WaitAsync(TestTimeouts.Reload));

            // Moved into the user's private directory: the path is trusted, the peer is not.
            // rename(2), as mv does it: the socket's inode, hence its listener, moves with the name.
            using (var move = Process.Start("/bin/mv", [Path.Combine(open.FullName, "s.sock"), rig.SocketPath]))
            {
                await move.WaitForExitAsync().WaitAsync(TestTimeouts.Reload);
                Assert.True(UnixInterop.TryGetOwnerAndMode(rig.SocketPath, out var owner, out _) && owner == Nobody);
            }

            await using var workspace = new ModuleWorkspace();
            workspace.Write("calc.cs", "public static class Calc { [Export] public static int Value() => 5; }");
            var engine = await workspace.StartAsync(o => rig.Configure(o));

            Assert.Equal(5, engine.GetEntryPoint<Func<int>>("calc", "Value").Current());
            Assert.Contains($"runs as uid {Nobody}", engine.CompileServerClient!.Disabled);
            Assert.Equal(0, engine.CompileServerClient.Answered);
        }
        finally
        {
            listener.Kill();
            open.Delete(recursive: true);
        }
    }
}
