using System.Buffers.Binary;

namespace Molt.Compilation.Server;

/// <summary>
/// The compile server's framing: each message is a 4-byte little-endian length, then that many
/// bytes. One request and one reply per connection. A length out of range or a stream that ends
/// inside a frame is a protocol error, never a partial message.
/// </summary>
internal static class Frames
{
    /// <summary>The largest message either side accepts (sources are at most a few MiB each; images too).</summary>
    public const int MaxBytes = 256 * 1024 * 1024;

    public static async Task WriteAsync(Stream stream, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        await stream.WriteAsync(Header(payload.Length), cancellationToken).ConfigureAwait(false);
        await stream.WriteAsync(payload, cancellationToken).ConfigureAwait(false);
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes a frame on the calling thread: for a side that must not wait for the thread pool (the pool may be starved by the work it reports on).</summary>
    public static void Write(Stream stream, ReadOnlySpan<byte> payload)
    {
        stream.Write(Header(payload.Length));
        stream.Write(payload);
        stream.Flush();
    }

    /// <exception cref="CompileProtocolException">The length is out of range.</exception>
    /// <exception cref="EndOfStreamException">The stream ended inside the frame.</exception>
    public static async Task<byte[]> ReadAsync(Stream stream, CancellationToken cancellationToken)
    {
        var header = new byte[4];
        await ReadExactlyAsync(stream, header, cancellationToken).ConfigureAwait(false);
        var payload = new byte[CheckedLength(header)];
        await ReadExactlyAsync(stream, payload, cancellationToken).ConfigureAwait(false);
        return payload;
    }

    /// <summary>Reads a frame on the calling thread; a stream whose reads time out bounds each silence, not the whole frame.</summary>
    /// <exception cref="CompileProtocolException">The length is out of range.</exception>
    /// <exception cref="EndOfStreamException">The stream ended inside the frame.</exception>
    public static byte[] Read(Stream stream)
    {
        var header = new byte[4];
        stream.ReadExactly(header);
        var payload = new byte[CheckedLength(header)];
        stream.ReadExactly(payload);
        return payload;
    }

    private static byte[] Header(int length)
    {
        if (length is 0 or > MaxBytes)
        {
            throw new CompileProtocolException($"A message of {length} bytes cannot be sent (1 to {MaxBytes}).");
        }

        var header = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(header, length);
        return header;
    }

    private static int CheckedLength(byte[] header)
    {
        var length = BinaryPrimitives.ReadInt32LittleEndian(header);
        if (length is <= 0 or > MaxBytes)
        {
            throw new CompileProtocolException($"Malformed message: a length of {length} bytes (1 to {MaxBytes} expected).");
        }

        return length;
    }

    /// <exception cref="EndOfStreamException">The other side closed the connection (it crashed, or gave up): not a protocol error.</exception>
    private static async Task ReadExactlyAsync(Stream stream, byte[] buffer, CancellationToken cancellationToken) =>
        await stream.ReadExactlyAsync(buffer, cancellationToken).ConfigureAwait(false);
}

/// <summary>A message that breaks the compile server's protocol (either direction).</summary>
internal sealed class CompileProtocolException : Exception
{
    public CompileProtocolException()
    {
    }

    public CompileProtocolException(string message)
        : base(message)
    {
    }

    public CompileProtocolException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
