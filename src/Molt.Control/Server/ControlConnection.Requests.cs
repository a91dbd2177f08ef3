using System.Net.Sockets;

namespace Molt.Control;

/// <summary>The request loop: read a line, answer it, repeat.</summary>
internal sealed partial class ControlConnection
{
    private const int MaxDrainBytes = 1024 * 1024;
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan FinalWriteTimeout = TimeSpan.FromSeconds(1);

    private async Task ServeAsync()
    {
        var reader = new BoundedLineReader(_socket, _server.MaxRequestBytes);
        while (true)
        {
            Volatile.Write(ref _lastActivity, _server.TimeProvider.GetTimestamp());
            _idleTimer.Change(_server.IdleTimeout, Timeout.InfiniteTimeSpan);
            LineReadStatus status;
            try
            {
                status = await reader.ReadLineAsync(_reads.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_idledOut)
            {
                Log.IdleClosed(_server.Logger);
                return;
            }

            _idleTimer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            if (status == LineReadStatus.EndOfStream)
            {
                return;
            }

            if (status == LineReadStatus.TooLong)
            {
                Log.RequestTooLarge(_server.Logger, _server.MaxRequestBytes);
                await RefuseAsync(ControlReply.Failure(ControlErrorCodes.RequestTooLarge, $"The request line is longer than {_server.MaxRequestBytes} bytes.")).ConfigureAwait(false);
                return;
            }

            if (reader.Line.Trim(" \t"u8).IsEmpty)
            {
                continue;
            }

            var parsed = _server.Parser.Parse(reader.Line);
            if (_isTcp && parsed.IsObject && !_server.Tokens!.Matches(parsed.Token))
            {
                // Closing after a wrong token makes guessing one a connection per try.
                Log.Unauthorized(_server.Logger, _socket.RemoteEndPoint?.ToString() ?? "?");
                await RefuseAsync(ControlReply.Failure(ControlErrorCodes.Unauthorized, "The request's token is missing or wrong."), parsed.Id).ConfigureAwait(false);
                return;
            }

            _busy = true;
            try
            {
                var reply = await AnswerAsync(parsed).ConfigureAwait(false);
                await SendAsync(reply).ConfigureAwait(false);
            }
            finally
            {
                _busy = false;
            }
        }
    }

    private async Task<byte[]> AnswerAsync(ParsedRequest parsed)
    {
        if (parsed.Request is not { } request)
        {
            var error = parsed.Error!;
            Log.RequestRejected(_server.Logger, error.Code, error.Message);
            return ReplyCodec.Encode(ControlReply.Failure(error.Code, error.Message), parsed.Id);
        }

        ControlReply reply;
        try
        {
            reply = await _server.Handler.HandleAsync(request, _server.Stopping).ConfigureAwait(false)
                ?? ControlReply.Failure(ControlErrorCodes.InternalError, "The handler returned no reply.");
        }
        catch (OperationCanceledException) when (_server.Stopping.IsCancellationRequested)
        {
            reply = ControlReply.Failure(ControlErrorCodes.ShuttingDown, "The process is shutting down.");
        }
        catch (Exception ex)
        {
            Log.HandlerFailed(_server.Logger, ex, request.Command);
            reply = ControlReply.Failure(ControlErrorCodes.InternalError, ex.Message);
        }

        Log.Handled(_server.Logger, request.Command, reply.Ok);
        try
        {
            return ReplyCodec.Encode(reply, parsed.Id);
        }
        catch (Exception ex)
        {
            Log.HandlerFailed(_server.Logger, ex, request.Command);
            return ReplyCodec.Encode(ControlReply.Failure(ControlErrorCodes.InternalError, $"The handler's result could not be sent: {ex.Message}"), parsed.Id);
        }
    }

    /// <summary>Sends a reply, giving up after the idle timeout so a peer that never reads cannot pin the connection.</summary>
    /// <remarks>
    /// The server stopping never cuts a reply off: a request already answered is the one the stop
    /// is often for (a <c>restart</c>, a <c>stop</c>), and its client must hear the answer. From
    /// the moment the server stops, the write gets <see cref="FinalWriteTimeout"/> more at most.
    /// </remarks>
    private async Task SendAsync(byte[] line)
    {
        using var timeout = new CancellationTokenSource(_server.IdleTimeout, _server.TimeProvider);
        // Registered after the timeout exists, so a stop that already began shortens it at once.
        using var stop = _server.Stopping.UnsafeRegister(static state => ShortenTo((CancellationTokenSource)state!, FinalWriteTimeout), timeout);
        var remaining = line.AsMemory();
        while (!remaining.IsEmpty)
        {
            var sent = await _socket.SendAsync(remaining, SocketFlags.None, timeout.Token).ConfigureAwait(false);
            remaining = remaining[sent..];
        }
    }

    private static void ShortenTo(CancellationTokenSource timeout, TimeSpan delay)
    {
        try
        {
            timeout.CancelAfter(delay);
        }
        catch (ObjectDisposedException)
        {
            // The write finished and its timeout is gone.
        }
    }

    /// <summary>Sends a last reply and closes gracefully.</summary>
    /// <remarks>
    /// Input the peer already sent is drained (boundedly) before closing: closing a socket with
    /// unread input makes the kernel reset the connection, and the peer could lose the reply.
    /// </remarks>
    private async Task RefuseAsync(ControlReply reply, System.Text.Json.Nodes.JsonNode? id = null)
    {
        try
        {
            await SendAsync(ReplyCodec.Encode(reply, id)).ConfigureAwait(false);
            _socket.Shutdown(SocketShutdown.Send);
            using var timeout = new CancellationTokenSource(DrainTimeout, _server.TimeProvider);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, _server.Stopping);
            var scratch = new byte[4096];
            var drained = 0;
            while (drained < MaxDrainBytes)
            {
                var read = await _socket.ReceiveAsync(scratch, SocketFlags.None, linked.Token).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                drained += read;
            }
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The peer left or dawdled; the connection is closing either way.
        }
    }
}
