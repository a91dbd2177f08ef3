using System.Net.Sockets;
using System.Text;
using Molt.Cli.Commands;
using Molt.Cli.Output;

namespace Molt.Cli.Tests;

public sealed class MalformedReplyTests
{
    [Fact]
    public async Task AResultWithoutTheMembersOfAReloadIsReportedAndExitsTwo()
    {
        using var workspace = new TempWorkspace();
        var socketPath = Path.Combine(workspace.RuntimeDirectory, "fake.sock");
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(socketPath));
        listener.Listen();
        var server = AnswerOnceAsync(listener, """{"id":null,"ok":true,"result":{"ok":true,"generation":2}}""");

        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exitCode = await MoltCommandLine.InvokeAsync(["reload", "--socket", socketPath], CliOutput.ForWriters(stdout, stderr)).WaitAsync(TestTimeouts.Process);
        await server.WaitAsync(TestTimeouts.Process);

        Assert.Equal(2, exitCode);
        Assert.Contains("ReloadReply", stderr.ToString());
        Assert.Equal("", stdout.ToString());
    }

    /// <summary>A server that reads one request line and answers it with <paramref name="reply"/>, as a broken or foreign process might.</summary>
    private static async Task AnswerOnceAsync(Socket listener, string reply)
    {
        using var connection = await listener.AcceptAsync();
        var buffer = new byte[4096];
        var received = 0;
        while (received == 0 || buffer[received - 1] != (byte)'\n')
        {
            received += await connection.ReceiveAsync(buffer.AsMemory(received));
        }

        await connection.SendAsync(Encoding.UTF8.GetBytes(reply + "\n"));
    }
}
