using System.Text;

namespace Molt.Connections;

/// <summary>
/// A connection's bytes, kept by the host across handlers: what was received and not yet taken as
/// a line stays here, so a handler stopped for a reload leaves it to the next one. A socket read
/// cancelled by a handler's token is not abandoned: it goes on, and what it brings is kept.
/// </summary>
internal sealed class LineBuffer(Stream stream, int maxLineBytes) : IAsyncDisposable
{
    private readonly byte[] _chunk = new byte[4096];
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private readonly ReceivedBytes _received = new();
    private Task<int>? _receiving;

    /// <summary>Takes the next whole line if one was received (or the last, unterminated one once the peer closed).</summary>
    /// <param name="line">The line, or <see langword="null"/> at the end of the stream.</param>
    /// <returns>Whether there was a line (or the end) to take.</returns>
    /// <exception cref="InvalidDataException">More than the limit was received without a line break.</exception>
    public bool TryTake(out string? line) => _received.TryTakeLine(maxLineBytes, out line);

    /// <summary>Waits for more bytes (or the end of the stream).</summary>
    public async Task ReceiveAsync(CancellationToken cancellationToken)
    {
        // Not the handler's token: the read outlives a handler stopped for a reload, and its bytes are the next handler's.
        _receiving ??= stream.ReadAsync(_chunk, CancellationToken.None).AsTask();

        // ConfigureAwait(true): handlers run on their server's scheduler, and so does what they await here.
        var count = await _receiving.WaitAsync(cancellationToken).ConfigureAwait(true);
        _receiving = null;
        if (count == 0)
        {
            _received.Ended = true;
            return;
        }

        _received.Append(_chunk.AsSpan(0, count));
    }

    public async ValueTask WriteLineAsync(string line, CancellationToken cancellationToken)
    {
        var bytes = Encoding.UTF8.GetBytes(line + "\n");
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(true);
        try
        {
            await stream.WriteAsync(bytes, cancellationToken).ConfigureAwait(true);
            await stream.FlushAsync(cancellationToken).ConfigureAwait(true);
        }
        finally
        {
            _writeGate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stream.DisposeAsync().ConfigureAwait(false);
        _writeGate.Dispose();
    }
}
