using System.Text;

namespace Molt.Connections;

/// <summary>
/// Bytes received from a connection and not yet taken by the program: lines or raw bytes are taken
/// from the front, what a read brings is appended at the back. Shared by the connection server's
/// line buffers and hot restart's carried connections (which hand what is left to the next process).
/// Not thread-safe: its owner reads one at a time.
/// </summary>
internal sealed class ReceivedBytes
{
    private byte[] _data;
    private int _start;
    private int _end;

    public ReceivedBytes(ReadOnlySpan<byte> initial = default)
    {
        _data = new byte[Math.Max(4096, initial.Length * 2)];
        initial.CopyTo(_data);
        _end = initial.Length;
    }

    /// <summary>Gets what was received and not taken.</summary>
    public ReadOnlySpan<byte> Pending => _data.AsSpan(_start, _end - _start);

    /// <summary>Gets or sets a value indicating whether the peer closed: no more bytes will come.</summary>
    public bool Ended { get; set; }

    public void Append(ReadOnlySpan<byte> bytes)
    {
        if (_data.Length - _end < bytes.Length)
        {
            var kept = _end - _start;
            var target = kept + bytes.Length > _data.Length ? new byte[Math.Max(_data.Length * 2, kept + bytes.Length)] : _data;
            Buffer.BlockCopy(_data, _start, target, 0, kept);
            (_data, _start, _end) = (target, 0, kept);
        }

        bytes.CopyTo(_data.AsSpan(_end));
        _end += bytes.Length;
    }

    /// <summary>Takes the next whole line, without its <c>\n</c> or <c>\r\n</c> (or the last, unterminated one once the peer closed).</summary>
    /// <param name="maxLineBytes">The longest line accepted.</param>
    /// <param name="line">The line, or <see langword="null"/> at the end of the stream.</param>
    /// <returns>Whether there was a line (or the end) to take.</returns>
    /// <exception cref="InvalidDataException">More than <paramref name="maxLineBytes"/> were received without a line break.</exception>
    public bool TryTakeLine(int maxLineBytes, out string? line)
    {
        var received = Pending;
        var newline = received.IndexOf((byte)'\n');
        if (newline < 0 && !Ended)
        {
            line = null;
            return received.Length <= maxLineBytes
                ? false
                : throw new InvalidDataException($"A line is longer than {maxLineBytes} bytes.");
        }

        var taken = newline < 0 ? received : received[..newline];
        _start += newline < 0 ? received.Length : newline + 1;
        line = newline < 0 && taken.IsEmpty ? null : Encoding.UTF8.GetString(taken.EndsWith("\r"u8) ? taken[..^1] : taken);
        return true;
    }

    /// <summary>Takes up to <paramref name="buffer"/>'s length.</summary>
    /// <returns>Whether there was something (or the end: then 0 bytes) to take.</returns>
    public bool TryTake(Span<byte> buffer, out int count)
    {
        count = Math.Min(buffer.Length, _end - _start);
        if (count == 0 && !Ended && !buffer.IsEmpty)
        {
            return false;
        }

        _data.AsSpan(_start, count).CopyTo(buffer);
        _start += count;
        return true;
    }
}
