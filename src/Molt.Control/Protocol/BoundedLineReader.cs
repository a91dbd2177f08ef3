using System.Net.Sockets;

namespace Molt.Control;

/// <summary>
/// Reads newline-terminated lines from a socket without ever holding more than the limit: the
/// buffer starts small (idle connections cost little) and grows to at most the limit plus one byte.
/// </summary>
internal sealed class BoundedLineReader(Socket socket, int maxLineBytes)
{
    private const int InitialSize = 4096;

    private byte[] _buffer = new byte[Math.Min(InitialSize, maxLineBytes + 1)];
    private int _start;
    private int _end;
    private int _lineStart;
    private int _lineLength;

    /// <summary>Gets the last line read, without its newline or a trailing carriage return; valid until the next read.</summary>
    public ReadOnlySpan<byte> Line => _buffer.AsSpan(_lineStart, _lineLength);

    /// <summary>Gets whether bytes of an unfinished line are buffered.</summary>
    public bool HasPartialLine => _end > _start;

    public async ValueTask<LineReadStatus> ReadLineAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var newline = _buffer.AsSpan(_start, _end - _start).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                if (newline > maxLineBytes)
                {
                    return LineReadStatus.TooLong;
                }

                SetLine(_start, newline);
                _start += newline + 1;
                return LineReadStatus.Line;
            }

            if (_end - _start > maxLineBytes)
            {
                return LineReadStatus.TooLong;
            }

            MakeRoom();
            var read = await socket.ReceiveAsync(_buffer.AsMemory(_end), SocketFlags.None, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                if (_end == _start)
                {
                    return LineReadStatus.EndOfStream;
                }

                // The peer half-closed after an unterminated line: treat it as the last line.
                SetLine(_start, _end - _start);
                _start = _end;
                return LineReadStatus.Line;
            }

            _end += read;
        }
    }

    private void SetLine(int start, int length)
    {
        if (length > 0 && _buffer[start + length - 1] == (byte)'\r')
        {
            length--;
        }

        _lineStart = start;
        _lineLength = length;
    }

    private void MakeRoom()
    {
        var pending = _end - _start;
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, pending);
            _start = 0;
            _end = pending;
        }

        if (_end == _buffer.Length)
        {
            // Full and no newline yet (pending <= limit): grow, but never past limit + 1 bytes.
            var grown = new byte[Math.Min(_buffer.Length * 2, maxLineBytes + 1)];
            Buffer.BlockCopy(_buffer, 0, grown, 0, _end);
            _buffer = grown;
        }
    }
}
