using System.Net.Sockets;
using System.Text.Json;

namespace Molt.Hosting.HotRestart;

/// <summary>
/// Reads and writes the hand-over's JSON lines with blocking calls bounded by a deadline. The
/// protocol alternates strictly (one side writes, the other answers), so a read never takes in
/// more than the line it waits for, and never the byte that carries descriptors.
/// </summary>
internal static class HandoverChannel
{
    /// <summary>The byte sent with the descriptors.</summary>
    public const byte Marker = (byte)'M';

    // A connection's unread bytes travel in the offer (base64): a line can be as long as a protocol line.
    private const int MaxLineBytes = 16 * 1024 * 1024;
    private static readonly TimeSpan PollSlice = TimeSpan.FromMilliseconds(50);

    public static void Write(Socket socket, HandoverMessage message)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(message, HandoverJsonContext.Default.HandoverMessage);
        socket.Send([.. json, (byte)'\n']);
    }

    /// <summary>Reads one line; <see langword="null"/> when the peer closed before sending one.</summary>
    /// <exception cref="TimeoutException">No line within <paramref name="timeout"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <exception cref="InvalidDataException">The line is too long or not a message.</exception>
    public static HandoverMessage? Read(Socket socket, TimeSpan timeout, CancellationToken cancellationToken)
    {
        WaitReadable(socket, timeout, cancellationToken);
        var line = new List<byte>();
        var buffer = new byte[4096];
        while (true)
        {
            var read = socket.Receive(buffer);
            if (read == 0)
            {
                return null;
            }

            var end = Array.IndexOf(buffer, (byte)'\n', 0, read);
            line.AddRange(buffer.AsSpan(0, end < 0 ? read : end));
            if (end >= 0)
            {
                return JsonSerializer.Deserialize(line.ToArray(), HandoverJsonContext.Default.HandoverMessage)
                    ?? throw new InvalidDataException("The hand-over message was null.");
            }

            if (line.Count > MaxLineBytes)
            {
                throw new InvalidDataException($"A hand-over message is longer than {MaxLineBytes} bytes.");
            }

            WaitReadable(socket, timeout, cancellationToken);
        }
    }

    /// <summary>Waits until the socket has something to read (or was closed), in slices so that cancellation is noticed.</summary>
    public static void WaitReadable(Socket socket, TimeSpan timeout, CancellationToken cancellationToken)
    {
        // A monotonic clock: the deadline bounds a blocking exchange between processes, not a reload.
        var deadline = timeout == Timeout.InfiniteTimeSpan ? long.MaxValue : Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        while (!socket.Poll(PollSlice, SelectMode.SelectRead))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (Environment.TickCount64 >= deadline)
            {
                throw new TimeoutException($"No hand-over message within {timeout.TotalSeconds:0.#} s.");
            }
        }
    }
}
