using System.Net;
using System.Net.Sockets;
using Molt.Connections;
using Molt.Hosting.HotRestart;
using System.Text;

namespace Molt.Hosting;

/// <summary>
/// An established connection that a hot restart hands to the new process, so the peer sees
/// nothing: the same socket, the bytes this process received and did not read yet, and
/// <see cref="State"/>. Read and write through it, never through the socket: a hand-over pauses
/// both at a point where nothing is half-read or half-written. Get one from
/// <see cref="IHotRestartConnections"/>.
/// </summary>
/// <remarks>
/// The old process hands the connection over at a clean point: when the program is back in a read,
/// so a line it read there has been handled and answered there (a program that hands lines to
/// other threads and reads on at once must answer them before the next read, or lose the answers).
/// In the process that hands it over, once the new process took it, reads and writes throw an
/// <see cref="OperationCanceledException"/> for <see cref="HandedOver"/>; in the new process,
/// reads wait (and writes are queued) until the hand-over is final, so a new process that fails
/// to start has consumed nothing and the old one goes on as if nothing happened.
/// </remarks>
public sealed partial class HotRestartConnection : IAsyncDisposable
{
    private const int ChunkBytes = 8192;
    private Socket? _socket;
    private readonly SemaphoreSlim _readGate = new(1, 1);
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private readonly CancellationTokenSource _handedOver = new();
    private readonly HotRestartConnections _owner;
    private readonly byte[] _chunk = new byte[ChunkBytes];
    private ReceivedBytes _received = new();
    private volatile string? _state;

    internal HotRestartConnection(string name, Socket? socket, HotRestartConnections owner)
    {
        Name = name;
        _socket = socket;
        _owner = owner;
    }

    /// <summary>Gets the name the connection is handed over under.</summary>
    public string Name { get; }

    /// <summary>Gets a value indicating whether a previous process handed this connection over (else this process made it).</summary>
    public bool WasHandedOver { get; private init; }

    /// <summary>
    /// Gets or sets what the program needs to go on with the connection in the new process (say the
    /// IRC nick the server accepted), carried with it as is; read it after <see cref="IHotRestartConnections.Take"/>.
    /// </summary>
    public string? State
    {
        get => _state;
        set => _state = value;
    }

    /// <summary>Gets or sets the longest line <see cref="ReadLineAsync"/> accepts.</summary>
    /// <value>The default is 64 KiB.</value>
    public int MaxLineBytes { get; set; } = 64 * 1024;

    /// <summary>Gets the peer's address.</summary>
    public EndPoint? RemoteEndPoint => _socket?.RemoteEndPoint;

    /// <summary>Gets a token cancelled once the new process of a hot restart took the connection over: this process must leave it.</summary>
    public CancellationToken HandedOver => _handedOver.Token;

    /// <summary>Reads the next line (without its <c>\n</c> or <c>\r\n</c>), as UTF-8.</summary>
    /// <param name="cancellationToken">Stops waiting; no byte is lost (the next read gets it).</param>
    /// <returns>The line, or <see langword="null"/> once the peer closed (after a last unterminated line, if any).</returns>
    /// <exception cref="InvalidDataException">More than <see cref="MaxLineBytes"/> came without a line break.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled, or the connection was handed over (<see cref="HandedOver"/>).</exception>
    /// <exception cref="ObjectDisposedException">The connection was disposed.</exception>
    public async ValueTask<string?> ReadLineAsync(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            var (line, taken) = await ReadStepAsync(TryTakeLine, l => l is not null, cancellationToken).ConfigureAwait(false);
            if (taken)
            {
                return line;
            }
        }
    }

    /// <summary>Reads what was received, at most <paramref name="buffer"/>'s length.</summary>
    /// <returns>The number of bytes read; 0 once the peer closed.</returns>
    /// <exception cref="OperationCanceledException">The token was cancelled, or the connection was handed over (<see cref="HandedOver"/>).</exception>
    /// <exception cref="ObjectDisposedException">The connection was disposed.</exception>
    public async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            var (count, taken) = await ReadStepAsync(() => TryTake(buffer), n => n > 0, cancellationToken).ConfigureAwait(false);
            if (taken)
            {
                return count;
            }
        }
    }

    /// <summary>Writes all of <paramref name="bytes"/>; writes never interleave.</summary>
    /// <exception cref="OperationCanceledException">The connection was handed over (<see cref="HandedOver"/>).</exception>
    /// <exception cref="SocketException">The connection broke.</exception>
    public async ValueTask WriteAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken = default)
    {
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!TryQueueUntilCommitted(bytes.Span))
            {
                while (!bytes.IsEmpty)
                {
                    bytes = bytes[await _socket!.SendAsync(bytes, SocketFlags.None, cancellationToken).ConfigureAwait(false)..];
                }
            }
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <summary>Writes all of <paramref name="bytes"/>, blocking; writes never interleave.</summary>
    /// <exception cref="OperationCanceledException">The connection was handed over (<see cref="HandedOver"/>).</exception>
    /// <exception cref="SocketException">The connection broke.</exception>
    public void Write(ReadOnlySpan<byte> bytes)
    {
        _writeGate.Wait();
        try
        {
            if (!TryQueueUntilCommitted(bytes))
            {
                // Through the asynchronous send, waited for: .NET refuses a blocking call on a socket
                // while an asynchronous one (the pending read) is in progress.
                var copy = bytes.ToArray().AsMemory();
                while (!copy.IsEmpty)
                {
                    copy = copy[_socket!.SendAsync(copy, SocketFlags.None).AsTask().GetAwaiter().GetResult()..];
                }
            }
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <summary>Writes <paramref name="line"/> as UTF-8 followed by <paramref name="newline"/>.</summary>
    /// <exception cref="OperationCanceledException">The connection was handed over (<see cref="HandedOver"/>).</exception>
    public ValueTask WriteLineAsync(string line, string newline = "\n", CancellationToken cancellationToken = default) =>
        WriteAsync(Encoding.UTF8.GetBytes(line + newline), cancellationToken);

    private (string? Line, bool Taken) TryTakeLine()
    {
        var taken = _received.TryTakeLine(MaxLineBytes, out var line);
        return (line, taken);
    }

    private (int Count, bool Taken) TryTake(Memory<byte> buffer) => _received.TryTake(buffer.Span, out var count) ? (count, true) : (0, false);
}
