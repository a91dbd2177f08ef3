using System.Net;
using System.Net.Sockets;
using System.Text;

using Molt.Tests.Infrastructure;

namespace Molt.Tests.Connections;

/// <summary>A test client: writes lines (split where it is told), reads replies with a timeout.</summary>
internal sealed class Client : IDisposable
{
    private readonly TcpClient _tcp = new();
    private StreamReader _reader = null!;
    private NetworkStream _stream = null!;

    public async Task ConnectAsync(int port)
    {
        await _tcp.ConnectAsync(IPAddress.Loopback, port).WaitAsync(TestTimeouts.Reload);
        _stream = _tcp.GetStream();
        _reader = new StreamReader(_stream, Encoding.UTF8);
    }

    public async Task SendAsync(string line, int splitAt = -1, TimeSpan pause = default)
    {
        var bytes = Encoding.UTF8.GetBytes(line + "\n");
        var first = splitAt < 0 ? bytes.Length : Math.Min(splitAt, bytes.Length);
        await _stream.WriteAsync(bytes.AsMemory(0, first));
        if (first < bytes.Length)
        {
            await _stream.FlushAsync();
            if (pause > TimeSpan.Zero)
            {
                await Task.Delay(pause);
            }

            await _stream.WriteAsync(bytes.AsMemory(first));
        }
    }

    /// <summary>Sends bytes with no line break after them: half a line.</summary>
    public async Task SendPartAsync(string part)
    {
        await _stream.WriteAsync(Encoding.UTF8.GetBytes(part));
        await _stream.FlushAsync();
    }

    public async Task<string> ReadAsync() =>
        await _reader.ReadLineAsync().WaitAsync(TestTimeouts.Reload) ?? throw new IOException("the server closed the connection");

    public void Dispose() => _tcp.Dispose();
}
