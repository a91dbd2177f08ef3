using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace Molt.Control.Tests;

/// <summary>A bare socket client, for sending exactly the bytes a test wants and reading replies line by line.</summary>
internal sealed class RawConnection : IDisposable
{
    private readonly Socket _socket;
    private readonly List<byte> _pending = [];

    private RawConnection(Socket socket) => _socket = socket;

    public static async Task<RawConnection> ConnectAsync(EndPoint endPoint)
    {
        var socket = endPoint is UnixDomainSocketEndPoint
            ? new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified)
            : new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(endPoint).Bounded();
        return new RawConnection(socket);
    }

    public static Task<RawConnection> ConnectAsync(string socketPath) => ConnectAsync(new UnixDomainSocketEndPoint(socketPath));

    public async Task SendAsync(byte[] bytes)
    {
        var remaining = bytes.AsMemory();
        while (!remaining.IsEmpty)
        {
            remaining = remaining[await _socket.SendAsync(remaining, SocketFlags.None).AsTask().Bounded()..];
        }
    }

    public Task SendLineAsync(string line) => SendAsync(Encoding.UTF8.GetBytes(line + "\n"));

    /// <summary>Reads one reply line and parses it; fails if the connection closes first.</summary>
    public async Task<JsonObject> ReadReplyAsync()
    {
        var line = await ReadLineAsync() ?? throw new InvalidOperationException("The server closed the connection instead of replying.");
        return (JsonObject)JsonNode.Parse(line)!;
    }

    /// <summary>Returns whether the server closed the connection (end of stream or reset) with nothing more to read.</summary>
    public async Task<bool> IsClosedByServerAsync()
    {
        try
        {
            return await ReadLineAsync() is null && _pending.Count == 0;
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionReset)
        {
            return true;
        }
    }

    /// <summary>Waits until the server has sent something, without reading it.</summary>
    public async Task WaitForDataAsync()
    {
        var peek = new byte[1];
        await _socket.ReceiveAsync(peek.AsMemory(), SocketFlags.Peek).AsTask().Bounded();
    }

    public void Dispose() => _socket.Dispose();

    private async Task<string?> ReadLineAsync()
    {
        var buffer = new byte[4096];
        while (true)
        {
            var newline = _pending.IndexOf((byte)'\n');
            if (newline >= 0)
            {
                var line = Encoding.UTF8.GetString([.. _pending.Take(newline)]);
                _pending.RemoveRange(0, newline + 1);
                return line;
            }

            var read = await _socket.ReceiveAsync(buffer.AsMemory(), SocketFlags.None).AsTask().Bounded();
            if (read == 0)
            {
                return null;
            }

            _pending.AddRange(buffer.AsSpan(0, read));
        }
    }
}
