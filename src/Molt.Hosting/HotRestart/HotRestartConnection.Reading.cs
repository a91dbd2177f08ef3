using System.Net.Sockets;

namespace Molt.Hosting;

/// <summary>
/// Reads: one at a time, through the buffer, never lost to a pause. A read marks the connection
/// busy when it hands the program something, and idle when the program comes back for more: a
/// hand-over waits for idle, so a line read in the old process is answered there.
/// </summary>
public sealed partial class HotRestartConnection
{
    /// <summary>One try at a read: what <paramref name="take"/> takes from the buffer, or a wait for more (or for a pause to end).</summary>
    /// <param name="take">Takes from the buffer; says whether it took anything (data, or the end).</param>
    /// <param name="isData">Whether what was taken is data the program will handle (not the end of the stream).</param>
    /// <param name="cancellationToken">The program's token.</param>
    private async ValueTask<(T Value, bool Taken)> ReadStepAsync<T>(Func<(T, bool)> take, Func<T, bool> isData, CancellationToken cancellationToken)
    {
        MarkIdle();
        Task? wait;
        await _readGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ThrowIfUnusable();
            wait = PausedTask();
            if (wait is null)
            {
                var taken = take();
                if (taken.Item2)
                {
                    MarkBusy(isData(taken.Item1));
                    return taken;
                }

                if (await ReceiveAsync(cancellationToken).ConfigureAwait(false))
                {
                    return (default!, false);
                }

                wait = PausedTask() ?? Task.CompletedTask;
            }
        }
        finally
        {
            _readGate.Release();
        }

        await wait.WaitAsync(cancellationToken).ConfigureAwait(false);
        return (default!, false);
    }

    /// <summary>Waits for bytes; <see langword="false"/> when a pause (or disposal) stopped the wait. A read that completed is never lost.</summary>
    private async ValueTask<bool> ReceiveAsync(CancellationToken cancellationToken)
    {
        CancellationTokenSource stop;
        lock (_stateGate)
        {
            stop = _receiveStop;
        }

        if (stop.IsCancellationRequested)
        {
            return false;
        }

        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, stop.Token);
        int count;
        try
        {
            count = await _socket!.ReceiveAsync(_chunk, SocketFlags.None, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }

        if (count == 0)
        {
            _received.Ended = true;
        }
        else
        {
            _received.Append(_chunk.AsSpan(0, count));
        }

        return true;
    }

    private void MarkBusy(bool busy)
    {
        lock (_stateGate)
        {
            _busy = busy;
        }
    }

    private void MarkIdle()
    {
        TaskCompletionSource? idle;
        lock (_stateGate)
        {
            (_busy, idle, _idle) = (false, _idle, null);
        }

        idle?.TrySetResult();
    }
}
